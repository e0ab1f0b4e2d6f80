// The made-up community the benchmarks import: resident i of `rows` spread over 50 buildings.
import { idCheckChar } from '../../shared/idNumber';
import type { RosterEntry } from '../../shared/roster';

/** Resident i of a made-up community of 50 buildings: valid, unique ID numbers for i < 20,000,000. */
export function resident(i: number, rows: number): RosterEntry {
  const born = new Date(Date.UTC(1940, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110105${born}${String(Math.floor(i / 20_000) % 1000).padStart(3, '0')}`;
  const perBuilding = Math.ceil(rows / 50);
  const inBuilding = i % perBuilding;
  return {
    name:
      '王李张刘陈杨赵黄周吴'[i % 10] + '建国志明海德秀玉桂淑'[Math.floor(i / 10) % 10] + '伟芳娜敏静丽强磊军洋'[Math.floor(i / 100) % 10],
    idType: 'resident-id',
    idNumber: first17 + idCheckChar(first17),
    nationality: '',
    idNote: '',
    phone: `139${String(i).padStart(8, '0')}`,
    building: String(1 + Math.floor(i / perBuilding)),
    unit: String(1 + (inBuilding % 4)),
    room: String(100 * (1 + Math.floor(inBuilding / 12)) + (inBuilding % 3) + 1),
    tags: [],
  };
}
