// Every refusal worded in Chinese: the phone pages' share in zh-CN.ts and the staff pages' in zh-CN.more.ts
// together must cover the catalogue (shared/reasons.ts), so a reason without a text fails the type check.
import type { ReasonTexts } from '../../shared/reasons';
import type zhCN from './zh-CN';
import type zhCNMore from './zh-CN.more';

type Expect<T extends true> = T;
export type ReasonTextsCovered = Expect<(typeof zhCN)['reasons'] & (typeof zhCNMore)['reasons'] extends ReasonTexts ? true : false>;
