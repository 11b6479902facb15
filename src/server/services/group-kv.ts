/**
 * Group key-value data: custom group attributes (AVChatRoom only, 2641 elsewhere, 2642 before
 * joining; <= 16 keys, key <= 32 B, value <= 4 KB, <= 16 KB in all; changes push the full map as
 * `groupAttributesUpdated`) and group counters (every type, members only; <= 20 keys, key <= 128 B,
 * integer values; changes push `groupCounterUpdated` per key). Each change rewrites the map in one
 * storage transaction; a refused change writes nothing.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import { GROUP_RULES } from '../../protocol/group-rules.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import type { GroupRecord } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import type { GroupService } from './groups.js';

export class GroupKeyValueService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
  ) {}

  /** The group (10010) with the caller as a member (10007). */
  private async membership(caller: Caller, groupID: string): Promise<GroupRecord> {
    const group = await this.groups.requireGroup(caller.app, groupID);
    if (!(await this.deps.storage.getMember(caller.app, groupID, caller.userID))) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    }
    return group;
  }

  // --- custom group attributes (AVChatRoom) ---

  private async attributeMember(caller: Caller, groupID: string): Promise<GroupRecord> {
    const group = await this.groups.requireGroup(caller.app, groupID);
    if (!GROUP_RULES[group.type].attributes) {
      throw new ImError(
        ErrorCode.GROUP_ATTRIBUTES_WRONG_TYPE,
        'custom group attributes are for AVChatRoom groups only',
      );
    }
    if (!(await this.deps.storage.getMember(caller.app, groupID, caller.userID))) {
      throw new ImError(ErrorCode.GROUP_ATTRIBUTES_NOT_JOINED, 'join the group first');
    }
    return group;
  }

  private static checkAttributes(map: Record<string, string>): Record<string, string> {
    const keys = Object.keys(map);
    if (keys.length > LIMITS.groupAttributeKeys) {
      throw invalid(`a group has at most ${LIMITS.groupAttributeKeys} attributes`);
    }
    let total = 0;
    for (const key of keys) {
      if (!key || byteLength(key) > LIMITS.groupAttributeKeyBytes) {
        throw invalid(`attribute key must be 1..${LIMITS.groupAttributeKeyBytes} bytes`);
      }
      if (byteLength(map[key]) > LIMITS.groupAttributeValueBytes) {
        throw invalid(`attribute ${key} is longer than ${LIMITS.groupAttributeValueBytes} bytes`);
      }
      total += byteLength(key) + byteLength(map[key]);
    }
    if (total > LIMITS.groupAttributesTotalBytes) {
      throw invalid(`attributes exceed ${LIMITS.groupAttributesTotalBytes} bytes in total`);
    }
    return map;
  }

  private async changeAttributes(
    caller: Caller,
    groupID: string,
    change: (current: Record<string, string>) => Record<string, string>,
  ): Promise<Record<string, string>> {
    await this.attributeMember(caller, groupID);
    const next = await this.deps.storage.changeGroupAttributes(caller.app, groupID, (current) =>
      GroupKeyValueService.checkAttributes(change(current)),
    );
    const members = (await this.deps.storage.allMembers(caller.app, groupID)).map((x) => x.userID);
    await pushTo(
      this.deps,
      caller.app,
      members,
      { push: 'groupAttributesUpdated', data: { groupID, groupAttributes: next } },
      caller.connID,
    );
    return next;
  }

  async initAttributes(
    caller: Caller,
    data: OpData<'initGroupAttributes'>,
  ): Promise<{ groupAttributes: Record<string, string> }> {
    const groupAttributes = await this.changeAttributes(caller, data.groupID, () => ({
      ...data.groupAttributes,
    }));
    return { groupAttributes };
  }

  async setAttributes(
    caller: Caller,
    data: OpData<'setGroupAttributes'>,
  ): Promise<{ groupAttributes: Record<string, string> }> {
    if (Object.keys(data.groupAttributes).length === 0) throw invalid('groupAttributes is empty');
    const groupAttributes = await this.changeAttributes(caller, data.groupID, (current) => ({
      ...current,
      ...data.groupAttributes,
    }));
    return { groupAttributes };
  }

  async deleteAttributes(
    caller: Caller,
    data: OpData<'deleteGroupAttributes'>,
  ): Promise<{ keyList: string[] }> {
    let deleted: string[] = [];
    await this.changeAttributes(caller, data.groupID, (current) => {
      const keys = data.keyList.length === 0 ? Object.keys(current) : data.keyList;
      deleted = keys.filter((k) => Object.hasOwn(current, k));
      const next = { ...current };
      for (const k of keys) delete next[k];
      return next;
    });
    return { keyList: deleted };
  }

  async getAttributes(
    caller: Caller,
    data: OpData<'getGroupAttributes'>,
  ): Promise<{ groupAttributes: Record<string, string> }> {
    await this.attributeMember(caller, data.groupID);
    const all = await this.deps.storage.getGroupAttributes(caller.app, data.groupID);
    if (data.keyList.length === 0) return { groupAttributes: all };
    return {
      groupAttributes: Object.fromEntries(
        data.keyList.filter((k) => Object.hasOwn(all, k)).map((k) => [k, all[k]]),
      ),
    };
  }

  // --- group counters (every type) ---

  private static checkCounterKey(key: string): void {
    if (!key || byteLength(key) > LIMITS.groupCounterKeyBytes) {
      throw invalid(`counter key must be 1..${LIMITS.groupCounterKeyBytes} bytes`);
    }
  }

  private static counterValue(value: number): string {
    if (!Number.isSafeInteger(value)) throw invalid('counter values must be safe integers');
    return String(value);
  }

  private async changeCounters(
    caller: Caller,
    groupID: string,
    change: (current: Record<string, number>) => Record<string, number>,
  ): Promise<Record<string, number>> {
    await this.membership(caller, groupID);
    let changed: Record<string, number> = {};
    const stored = await this.deps.storage.changeGroupCounters(caller.app, groupID, (current) => {
      const numbers = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, Number(v)]));
      changed = change(numbers);
      const next = { ...current };
      for (const [k, v] of Object.entries(changed)) {
        GroupKeyValueService.checkCounterKey(k);
        next[k] = GroupKeyValueService.counterValue(v);
      }
      if (Object.keys(next).length > LIMITS.groupCounterKeys) {
        throw invalid(`a group has at most ${LIMITS.groupCounterKeys} counters`);
      }
      return next;
    });
    const members = (await this.deps.storage.allMembers(caller.app, groupID)).map((x) => x.userID);
    for (const key of Object.keys(changed)) {
      await pushTo(
        this.deps,
        caller.app,
        members,
        { push: 'groupCounterUpdated', data: { groupID, key, value: Number(stored[key]) } },
        caller.connID,
      );
    }
    return Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, Number(v)]));
  }

  async setCounters(
    caller: Caller,
    data: OpData<'setGroupCounters'>,
  ): Promise<{ counters: Record<string, number> }> {
    if (Object.keys(data.counters).length === 0) throw invalid('counters is empty');
    const counters = await this.changeCounters(caller, data.groupID, () => ({ ...data.counters }));
    return { counters };
  }

  async addToCounter(
    caller: Caller,
    data: OpData<'increaseGroupCounter'>,
    sign: 1 | -1,
  ): Promise<{ groupID: string; key: string; value: number }> {
    const counters = await this.changeCounters(caller, data.groupID, (current) => ({
      [data.key]: (current[data.key] ?? 0) + sign * data.value,
    }));
    return { groupID: data.groupID, key: data.key, value: counters[data.key] };
  }

  async getCounters(
    caller: Caller,
    data: OpData<'getGroupCounters'>,
  ): Promise<{ counters: Record<string, number> }> {
    await this.membership(caller, data.groupID);
    const all = await this.deps.storage.getGroupCounters(caller.app, data.groupID);
    const keys = data.keyList.length === 0 ? Object.keys(all) : data.keyList;
    return {
      counters: Object.fromEntries(
        keys.filter((k) => Object.hasOwn(all, k)).map((k) => [k, Number(all[k])]),
      ),
    };
  }
}
