import { createKvCartRepository } from '../../src/modules/cart/infrastructure/kv-cart.repository.ts';
import { cartRepositoryContract } from './cart-repository.contract.ts';
import { storeEngines } from './support/stores.ts';

for (const engine of storeEngines()) {
  cartRepositoryContract(
    `key-value store on ${engine.name}`,
    async (ttlSeconds) => {
      const { kv, advance } = engine.open();
      return { repository: createKvCartRepository(kv, { ttlSeconds }), advance, close: () => kv.close() };
    },
    { skip: engine.skip },
  );
}
