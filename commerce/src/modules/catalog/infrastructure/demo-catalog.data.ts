import { createHash } from 'node:crypto';

/**
 * A deterministic demo catalog: the same input always gives the same ids, names, prices and
 * stock, so screenshots, tests and bug reports agree on what "the demo shop" contains.
 */
export interface DemoCategory {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  path: string;
  position: number;
}

export interface DemoProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: 'draft' | 'published';
  categoryId: string;
  images: string[];
  createdAt: string;
}

export interface DemoVariant {
  id: string;
  productId: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  currency: string;
  weightGrams: number;
  onHand: number;
  position: number;
  createdAt: string;
}

export interface DemoCatalog {
  categories: DemoCategory[];
  products: DemoProduct[];
  variants: DemoVariant[];
}

interface Leaf {
  slug: string;
  name: string;
  noun: string;
  basePrice: number;
  grams: number;
  axis: { name: string; values: string[] };
}

const SIZES = { name: 'size', values: ['XS', 'S', 'M', 'L', 'XL'] };
const SHOE_SIZES = { name: 'size', values: ['38', '39', '40', '41', '42', '43', '44'] };
const CAPACITY = { name: 'capacity', values: ['0.5 l', '0.75 l', '1 l'] };
const FINISH = { name: 'finish', values: ['matte', 'gloss', 'satin'] };

const TREE: { slug: string; name: string; leaves: Leaf[] }[] = [
  {
    slug: 'clothing',
    name: 'Clothing',
    leaves: [
      { slug: 't-shirts', name: 'T-shirts', noun: 'T-shirt', basePrice: 1999, grams: 180, axis: SIZES },
      { slug: 'hoodies', name: 'Hoodies', noun: 'Hoodie', basePrice: 4999, grams: 550, axis: SIZES },
      { slug: 'jackets', name: 'Jackets', noun: 'Jacket', basePrice: 8999, grams: 900, axis: SIZES },
    ],
  },
  {
    slug: 'footwear',
    name: 'Footwear',
    leaves: [
      { slug: 'running-shoes', name: 'Running shoes', noun: 'Running Shoe', basePrice: 8999, grams: 600, axis: SHOE_SIZES },
      { slug: 'boots', name: 'Boots', noun: 'Boot', basePrice: 11999, grams: 1200, axis: SHOE_SIZES },
      { slug: 'sandals', name: 'Sandals', noun: 'Sandal', basePrice: 3999, grams: 400, axis: SHOE_SIZES },
    ],
  },
  {
    slug: 'home',
    name: 'Home',
    leaves: [
      { slug: 'mugs', name: 'Mugs', noun: 'Mug', basePrice: 1299, grams: 350, axis: FINISH },
      { slug: 'lamps', name: 'Lamps', noun: 'Lamp', basePrice: 5999, grams: 1500, axis: FINISH },
      { slug: 'cushions', name: 'Cushions', noun: 'Cushion', basePrice: 2499, grams: 500, axis: FINISH },
    ],
  },
  {
    slug: 'outdoor',
    name: 'Outdoor',
    leaves: [
      { slug: 'backpacks', name: 'Backpacks', noun: 'Backpack', basePrice: 6999, grams: 1100, axis: CAPACITY },
      { slug: 'tents', name: 'Tents', noun: 'Tent', basePrice: 19999, grams: 2500, axis: CAPACITY },
      { slug: 'water-bottles', name: 'Water bottles', noun: 'Water Bottle', basePrice: 1799, grams: 300, axis: CAPACITY },
    ],
  },
];

const ADJECTIVES = ['Classic', 'Urban', 'Alpine', 'Coastal', 'Nordic', 'Vintage', 'Everyday', 'Trail', 'Studio', 'Summit', 'Harbor', 'Meadow'];
const MATERIALS = ['cotton', 'wool', 'linen', 'recycled polyester', 'leather', 'ceramic', 'bamboo', 'canvas', 'steel'];
const COLOURS = ['Black', 'White', 'Navy', 'Olive', 'Sand', 'Rust', 'Grey', 'Teal'];
const USES = ['city walks', 'long hikes', 'rainy days', 'the office', 'weekend trips', 'quiet evenings'];
const PRODUCTS_PER_LEAF = 18;
const EPOCH = Date.UTC(2026, 0, 1);

/** A name-based uuid (version 5 layout), stable across runs and machines. */
export function stableId(name: string): string {
  const hex = createHash('sha1').update(`catalog-demo:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** mulberry32: small, fast and good enough for demo data. */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDemoCatalog(seed = 42): DemoCatalog {
  const random = randomFrom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const categories: DemoCategory[] = [];
  const products: DemoProduct[] = [];
  const variants: DemoVariant[] = [];
  let productIndex = 0;

  TREE.forEach((root, rootPosition) => {
    const rootId = stableId(`category:${root.slug}`);
    categories.push({ id: rootId, parentId: null, slug: root.slug, name: root.name, path: root.slug, position: rootPosition });
    root.leaves.forEach((leaf, leafPosition) => {
      const leafId = stableId(`category:${leaf.slug}`);
      categories.push({ id: leafId, parentId: rootId, slug: leaf.slug, name: leaf.name, path: `${root.slug}/${leaf.slug}`, position: leafPosition });
      for (let n = 0; n < PRODUCTS_PER_LEAF; n++) {
        productIndex++;
        const adjective = pick(ADJECTIVES);
        const material = pick(MATERIALS);
        const colour = pick(COLOURS);
        const name = `${adjective} ${colour} ${leaf.noun}`;
        const slug = `${name.toLowerCase().replaceAll(' ', '-')}-${productIndex}`;
        const id = stableId(`product:${slug}`);
        const createdAt = new Date(EPOCH + productIndex * 3_600_000).toISOString();
        // Prices cluster on a few steps so listings have real ties to page through.
        const price = leaf.basePrice + Math.floor(random() * 4) * 1000;
        const count = 2 + Math.floor(random() * 3);
        const start = Math.floor(random() * (leaf.axis.values.length - count + 1));
        const skuBase = `${leaf.slug.slice(0, 3).toUpperCase()}-${String(productIndex).padStart(4, '0')}`;
        const skus: string[] = [];
        leaf.axis.values.slice(start, start + count).forEach((value, position) => {
          const sku = `${skuBase}-${value.replaceAll(/[^0-9A-Za-z]/g, '').toUpperCase()}`;
          skus.push(sku);
          variants.push({
            id: stableId(`variant:${sku}`),
            productId: id,
            sku,
            options: { [leaf.axis.name]: value, colour },
            // Larger sizes cost a little more on some products.
            priceMinor: price + (random() < 0.3 ? position * 500 : 0),
            currency: 'EUR',
            weightGrams: leaf.grams + position * 20,
            onHand: random() < 0.15 ? 0 : 1 + Math.floor(random() * 60),
            position,
            createdAt,
          });
        });
        products.push({
          id,
          slug,
          name,
          description: `A ${adjective.toLowerCase()} ${leaf.noun.toLowerCase()} in ${colour.toLowerCase()} ${material}, made for ${pick(USES)}.`,
          status: random() < 0.05 ? 'draft' : 'published',
          categoryId: leafId,
          images: [skus[0]!, `${skuBase}-detail`].map((s) => `https://picsum.photos/seed/${s}/600/600`),
          createdAt,
        });
      }
    });
  });
  return { categories, products, variants };
}
