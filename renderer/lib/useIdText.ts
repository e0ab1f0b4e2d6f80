// ID types in the page's language: the type's name, a masked number with its type, and what is wrong with a number.
import { useI18n } from 'vue-i18n';
import type { IdCheckFault, IdType } from '../../shared/idTypes';

export function useIdText() {
  const { t } = useI18n();
  const typeName = (type: IdType) => t(`idType.names.${type}`);
  return {
    typeName,
    /** A resident ID shows as ever (the masked number alone); other types say which card; 无证件 has no number. */
    idText: (type: IdType | undefined, masked: string) =>
      !type || type === 'resident-id' ? masked : type === 'none' ? typeName(type) : `${typeName(type)} ${masked}`,
    faultText: (fault: IdCheckFault) => t(`idType.fault.${fault}`),
  };
}
