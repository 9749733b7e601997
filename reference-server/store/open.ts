import { MemoryStore } from './memory.js';
import { PostgresStore } from './postgres/store.js';
import type { ResourceModel } from '../../scim/schema/model.js';
import { openFailure, shownStore, StoreOpenError } from './spec.js';
import type { ResourceTypeName, Store, TouchHook } from './types.js';

/** What the server hands the store it makes: the models filters are evaluated with, and its TouchHook. */
export interface StoreNeeds {
  models: Partial<Record<ResourceTypeName, ResourceModel>>;
  touch: TouchHook;
}

/** A store named by `serve --store` or SCIMULATOR_STORE: `memory` (the default) or a postgres:// URL. */
export function storeFromSpec(spec: string | undefined, needs: StoreNeeds): Store {
  if (spec === undefined || spec === '' || spec === 'memory') return new MemoryStore(needs);
  if (/^postgres(ql)?:\/\//i.test(spec)) return new PostgresStore({ url: spec, ...needs });
  throw new StoreOpenError(`the store must be "memory" or a PostgreSQL URL such as postgres://user:password@localhost:5432/scim, not "${shownStore(spec.slice(0, 200))}"`);
}

/** Opens and closes the store `spec` names, to say before a run that it cannot be had: a StoreOpenError in words. */
export async function probeStore(spec: string): Promise<void> {
  const store = storeFromSpec(spec, { models: {}, touch: () => undefined });
  try {
    await store.open?.();
  } catch (error) {
    throw openFailure(spec, error);
  } finally {
    await store.close?.();
  }
}
