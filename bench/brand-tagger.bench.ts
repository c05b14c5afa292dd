// Benchmark of the character-level brand tagger on Taobao titles (HPPX entities, test split): entity
// F1 of the supervised tagger and of the weakly supervised one (labels from lexicon matches with a
// seeded half of the train split's brands), beside lexicon matching alone. Run: npx tsx bench/brand-tagger.bench.ts
import {
  collectEntityStrings,
  keepEntityTypes,
  labelByLexicon,
  labelWeakly,
  scoreEntities,
  tagSequence,
  trainSequenceTagger,
  type SequenceTaggerModel,
  type TaggedSequence,
} from '../src/core/tagging/sequence-tagger.ts';
import { sampleSeeded } from '../tests/unit/tagging/shared-data.ts';
import { readTaobaoNer } from '../tests/unit/tagging/shared-titles.ts';

const BRAND = 'HPPX';
const EPOCHS = 10;
const train = readTaobaoNer('train');
const test = readTaobaoNer('test');
const gold = test.map((s) => keepEntityTypes(s.tags, [BRAND]));
const fmt = (x: number) => x.toFixed(3);

function evaluate(name: string, data: TaggedSequence[]): void {
  const t0 = performance.now();
  const model: SequenceTaggerModel = trainSequenceTagger(data, { epochs: EPOCHS });
  const trainMs = performance.now() - t0;
  const t1 = performance.now();
  const predicted = test.map((s) => tagSequence(model, s.chars));
  const tagMs = performance.now() - t1;
  const r = scoreEntities(gold, predicted, BRAND);
  const chars = test.reduce((n, s) => n + s.chars.length, 0);
  console.log(
    `${name.padEnd(42)} F1 ${fmt(r.f1)}  P ${fmt(r.precision)}  R ${fmt(r.recall)}  ` +
      `train ${(trainMs / 1000).toFixed(1)} s (${data.length} titles)  tag ${Math.round((chars / tagMs) * 1000)} chars/s`,
  );
}

console.log(`Taobao titles: train ${train.length}, test ${test.length} (${gold.flat().filter((t) => t === 'B-' + BRAND).length} brand entities), ${EPOCHS} epochs`);
evaluate('supervised, brand tags only', train.map((s) => ({ chars: s.chars, tags: keepEntityTypes(s.tags, [BRAND]) })));
evaluate('supervised, all entity types (brand scored)', train);

const brands = collectEntityStrings(train, BRAND);
const half = new Set(sampleSeeded(brands, Math.floor(brands.length / 2), 11));
const lexiconOnly = scoreEntities(gold, test.map((s) => labelByLexicon(s.chars, half, BRAND)), BRAND);
console.log(`${'lexicon match only (half of train brands)'.padEnd(42)} F1 ${fmt(lexiconOnly.f1)}  P ${fmt(lexiconOnly.precision)}  R ${fmt(lexiconOnly.recall)}  lexicon ${half.size} of ${brands.length} brands`);
evaluate('weak: lexicon-labelled, matched titles only', labelWeakly(train, half, BRAND));
evaluate('weak: lexicon-labelled, all titles', train.map((s) => ({ chars: s.chars, tags: labelByLexicon(s.chars, half, BRAND) })));
