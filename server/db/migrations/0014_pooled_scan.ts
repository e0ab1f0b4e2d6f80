import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../dialect';

/**
 * PostgreSQL: a scan placed in a pooled tube in one round trip (server/store/pgScan.ts), so the point's
 * row lock is taken and used inside the database instead of across a dozen statements from the node.
 * The rules it applies have their home in shared/: `natq_place_next` is shared/pooling.ts `placeNext`,
 * `natq_group_label` is `groupLabel`; the tags that route a person elsewhere or give priority are passed
 * in, derived from shared/routing.ts and shared/tags.ts. tests/server/pgScan.test.ts holds them equal.
 * Anything else (a person already placed, a retest, an unknown code or point, no open round) returns no
 * row having written nothing, and the node places the scan itself.
 */
export function pooledScan(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect !== 'postgres') return;
      // The groups filling at a point, a handful at any time: without it the look-up read every group
      // of the point this round (groups_by_point), a cost that grew through the day.
      await sql`CREATE INDEX groups_forming ON groups (round_id, point_id, priority) WHERE state = 'forming'`.execute(db);
      await sql`CREATE FUNCTION natq_group_label(p_code text, p_seq int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT p_code || '-' || CASE WHEN length(p_seq::text) >= 3 THEN p_seq::text ELSE lpad(p_seq::text, 3, '0') END $$`.execute(db);
      await sql`CREATE FUNCTION natq_place_next(p_size int, p_pool int, p_point_pool int,
          OUT new_group boolean, OUT pos int, OUT pool_size int, OUT full boolean) LANGUAGE sql IMMUTABLE AS $$
        SELECT NOT fits, CASE WHEN fits THEN p_size + 1 ELSE 1 END, CASE WHEN fits THEN p_pool ELSE p_point_pool END,
          CASE WHEN fits THEN p_size + 1 = p_pool ELSE p_point_pool = 1 END
        FROM (SELECT coalesce(p_size < p_pool, false) AS fits) AS s $$`.execute(db);
      await sql`CREATE FUNCTION natq_pooled_scan(p_uid text, p_id_hash text, p_point text, p_scanned_at text, p_at text,
          p_role text, p_device text, p_other_route_tags text[], p_priority_tags text[])
        RETURNS TABLE (o_resident_uid text, o_name text, o_household text, o_tags text, o_group_id int, o_label text,
          o_position int, o_pool_size int, o_full boolean, o_member_id int)
        LANGUAGE plpgsql AS $$
        DECLARE
          r residents%ROWTYPE;
          v_round int;
          v_point points%ROWTYPE;
          v_priority int;
          v_forming int;
          v_forming_label text;
          v_forming_pool int;
          v_size int;
          v_slot record;
        BEGIN
          IF p_uid IS NOT NULL THEN
            SELECT * INTO r FROM residents WHERE uid = p_uid;
          ELSE
            SELECT * INTO r FROM residents WHERE id_hash = p_id_hash;
          END IF;
          IF NOT FOUND OR r.tags::jsonb ?| p_other_route_tags THEN RETURN; END IF;
          SELECT id INTO v_round FROM rounds WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1;
          IF NOT FOUND OR EXISTS (SELECT 1 FROM members m WHERE m.round_id = v_round AND m.resident_id = r.id AND m.status <> 'absent') THEN
            RETURN;
          END IF;
          -- Scans at one point are placed one at a time: the same lock the node's path takes.
          SELECT * INTO v_point FROM points WHERE code = p_point AND active = 1 FOR UPDATE;
          IF NOT FOUND THEN RETURN; END IF;
          v_priority := (r.tags::jsonb ?| p_priority_tags)::int;
          SELECT g.id, g.label, g.pool_size, (SELECT count(*) FROM members m WHERE m.group_id = g.id AND m.status <> 'absent')
            INTO v_forming, v_forming_label, v_forming_pool, v_size
            FROM groups g
            WHERE g.round_id = v_round AND g.point_id = v_point.id AND g.state = 'forming' AND g.kind = 'pooled'
              AND g.priority = v_priority AND g.id NOT IN (SELECT group_id FROM household_tubes)
            ORDER BY g.id LIMIT 1;
          v_slot := natq_place_next(CASE WHEN v_forming IS NULL THEN NULL ELSE v_size END, v_forming_pool, v_point.pool_size);
          IF v_slot.new_group THEN
            -- The last number by the index, not an aggregate over the point's groups.
            SELECT coalesce((SELECT seq FROM groups WHERE round_id = v_round AND point_id = v_point.id ORDER BY seq DESC LIMIT 1), 0) + 1 INTO v_size;
            o_label := natq_group_label(v_point.code, v_size);
            INSERT INTO groups (round_id, point_id, seq, label, kind, pool_size, state, priority, tube_code, created_at, closed_at)
              VALUES (v_round, v_point.id, v_size, o_label, 'pooled', v_slot.pool_size,
                CASE WHEN v_slot.full THEN 'waiting' ELSE 'forming' END, v_priority, NULL, p_at, CASE WHEN v_slot.full THEN p_at END)
              RETURNING id INTO o_group_id;
          ELSE
            o_group_id := v_forming;
            o_label := v_forming_label;
          END IF;
          INSERT INTO members (group_id, round_id, resident_id, position, scanned_at, device, retest, status)
            VALUES (o_group_id, v_round, r.id, v_slot.pos, p_scanned_at, p_device, 0, 'queued') RETURNING id INTO o_member_id;
          IF v_slot.full AND NOT v_slot.new_group THEN
            UPDATE groups SET state = 'waiting', closed_at = p_at WHERE id = o_group_id;
          END IF;
          INSERT INTO audit (role, device, action, subject, detail, at)
            VALUES (p_role, p_device, 'scan', 'resident ' || r.uid, o_label || ' position ' || v_slot.pos, p_at);
          o_resident_uid := r.uid;
          o_name := r.name;
          o_household := r.household;
          o_tags := r.tags;
          o_position := v_slot.pos;
          o_pool_size := v_slot.pool_size;
          o_full := v_slot.full;
          RETURN NEXT;
        END $$`.execute(db);
    },
  };
}
