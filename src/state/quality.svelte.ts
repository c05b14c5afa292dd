// The Quality view's state: the open import's stored report, rule suite and fix recipe (read through
// liveQuery, written with saveAnalysis), runs of the checks, step previews, rule runs and cleaned-table
// exports in the data worker, and downloads of rules, recipe, cleaned tables and the cleaning log.
import { createRecipe, recipeToSql, removeStep, moveStep, serializeRecipe, type CleaningLog, type Recipe, type RecipeStep, type StepPreview } from '../core/quality/recipe.ts';
import { suggestRecipe } from '../core/quality/suggest-recipe.ts';
import { rulesToSql, serializeRules, suggestRules, type QualityRule, type RuleResult } from '../core/quality/suggest-rules.ts';
import type { QualityReport } from '../core/quality/types.ts';
import type { Inventory } from '../core/types.ts';
import { getAnalysis, listImports, loadInventory, saveAnalysis } from '../db/repository.ts';
import { exportCleaned, previewRecipeStep, runQuality, runRules } from '../lib/inventory-client.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import {
  acceptRule,
  addSteps,
  buildRelabelSteps,
  listInheritCandidates,
  selectInheritedSuite,
  type InheritedSuite,
  cleanedFileName,
  dismissRule,
  emptyRuleSuite,
  pendingRules,
  pendingSteps,
  previewKey,
  type RuleSuiteState,
} from './quality-model.ts';
import type { AcceptedFix } from './tagging-plan.ts';
import { offerDownload } from '../lib/download.ts';

/** Where tagging keeps the mislabel fixes the user accepted (see tagging.svelte.ts). */
const ACCEPTED_FIXES_KIND = 'tagging-accepted-fixes';

export const QUALITY_KIND = 'quality';
export const RULES_KIND = 'quality-rules';
export const RECIPE_KIND = 'quality-recipe';

export type QualityStatus = 'idle' | 'loading' | 'checking' | 'failed';

interface StoredQuality {
  importId: string;
  report: QualityReport | null;
  suite: RuleSuiteState;
  recipe: Recipe;
  inventory: Inventory | null;
  /** The suite of an earlier import of the same dataset, when this import keeps no rules of its own. */
  inherited: InheritedSuite | null;
  /** Accepted mislabel fixes of this import as relabel-rows steps. */
  fixSteps: RecipeStep[];
}

/** The most recent earlier suite of the same dataset, read only when `own` has no rules. */
async function readInherited(importId: string, own: RuleSuiteState | undefined): Promise<InheritedSuite | null> {
  if ((own?.rules.length ?? 0) > 0) return null;
  const imports = await listImports();
  const suites: Record<string, RuleSuiteState | undefined> = {};
  for (const id of listInheritCandidates(imports, importId)) {
    suites[id] = (await getAnalysis<RuleSuiteState>(id, RULES_KIND))?.value;
    // Stop at the first suite with rules: older ones would not be chosen.
    if ((suites[id]?.rules.length ?? 0) > 0) break;
  }
  return selectInheritedSuite(imports, importId, suites);
}

async function readStored(importId: string): Promise<StoredQuality> {
  const [report, suite, recipe, inventory, fixes] = await Promise.all([
    getAnalysis<QualityReport>(importId, QUALITY_KIND),
    getAnalysis<RuleSuiteState>(importId, RULES_KIND),
    getAnalysis<Recipe>(importId, RECIPE_KIND),
    loadInventory(importId),
    getAnalysis<AcceptedFix[]>(importId, ACCEPTED_FIXES_KIND),
  ]);
  const inherited = await readInherited(importId, suite?.value);
  return {
    importId,
    report: report?.value ?? null,
    suite: suite?.value ?? emptyRuleSuite(),
    recipe: recipe?.value ?? createRecipe(),
    inventory: inventory ?? null,
    inherited,
    fixSteps: buildRelabelSteps(fixes?.value ?? []),
  };
}


class QualityState {
  readonly #data = new LiveValue<StoredQuality | null>(null);
  #openId: string | null = $state(null);
  status: QualityStatus = $state('idle');
  /** Phase text key of the running check. */
  phase: 'load' | 'check' | 'done' | null = $state(null);
  /** Wall time of the last run, ms. */
  runMs = $state(0);
  /** Previews by previewKey(); a preview stays valid while the steps it depends on are unchanged. */
  previews: Record<string, StepPreview> = $state({});
  previewing: string | null = $state(null);
  ruleResults: Record<string, RuleResult> = $state.raw({});
  rulesRunning = $state(false);
  /** `table:format` of the export running now. */
  exporting: string | null = $state(null);
  lastLog: CleaningLog | null = $state.raw(null);
  #autoRan = new Set<string>();
  #inheritRan = new Set<string>();
  #suiteRan = new Set<string>();

  get #current(): StoredQuality | null {
    const d = this.#data.value;
    return d && d.importId === this.#openId ? d : null;
  }

  get loading(): boolean {
    return this.#openId !== null && this.#current === null;
  }

  get report(): QualityReport | null {
    return this.#current?.report ?? null;
  }

  get recipe(): Recipe {
    return this.#current?.recipe ?? createRecipe();
  }

  get suite(): RuleSuiteState {
    return this.#current?.suite ?? emptyRuleSuite();
  }

  /** The rule suite re-run from an earlier import of the same dataset, if any. */
  get inherited(): InheritedSuite | null {
    return this.#current?.inherited ?? null;
  }

  readonly isBusy: boolean = $derived(this.status === 'loading' || this.status === 'checking');

  /** Rules proposed from the profiles. */
  readonly suggestedRules: QualityRule[] = $derived.by(() => {
    const inv = this.#current?.inventory;
    return inv ? suggestRules(inv) : [];
  });

  /** Proposals the user has not accepted or dismissed yet. */
  readonly pendingRules: QualityRule[] = $derived.by(() => {
    const inheritedIds = new Set((this.inherited?.rules ?? []).map((r) => r.id));
    return pendingRules(this.suggestedRules, this.suite).filter((r) => !inheritedIds.has(r.id));
  });

  /** Suggested recipe steps not yet in the recipe: accepted mislabel fixes first, then the report's fixes. */
  readonly pendingSteps: RecipeStep[] = $derived.by(() => {
    const r = this.report;
    const fixes = this.#current?.fixSteps ?? [];
    return pendingSteps(createRecipe([...fixes, ...(r ? suggestRecipe(r).steps : [])]), this.recipe);
  });

  /** Opens `importId` (null closes); repeated calls with the same id keep the subscription. */
  open(importId: string | null): void {
    if (importId === this.#openId) return;
    this.#openId = importId;
    this.previews = {};
    this.ruleResults = {};
    this.lastLog = null;
    if (importId === null) {
      this.#data.stop();
      return;
    }
    this.#data.watch(() => readStored(importId));
  }

  /** Runs the checks once per import and session when no report is stored yet. */
  runIfMissing(): void {
    const d = this.#current;
    if (!d || d.report || !d.inventory || this.isBusy || this.#autoRan.has(d.importId)) return;
    this.#autoRan.add(d.importId);
    void this.run();
  }

  /** Re-runs an inherited rule suite once per import and session, so its pass/fail shows on opening. */
  runInheritedIfMissing(): void {
    const d = this.#current;
    if (!d?.inherited || this.rulesRunning || this.#inheritRan.has(d.importId)) return;
    this.#inheritRan.add(d.importId);
    void this.#runRuleList(d.importId, d.inherited.rules);
  }

  /** The rules that apply to this import: its own suite, else the one inherited from an earlier import. */
  get activeRules(): QualityRule[] {
    return this.suite.rules.length ? this.suite.rules : (this.inherited?.rules ?? []);
  }

  /** Runs the active rules once per import and session unless each has a result (the Monitor view's re-run). */
  runSuiteIfMissing(): void {
    const d = this.#current;
    if (!d) return;
    if (d.inherited) return this.runInheritedIfMissing();
    const rules = d.suite.rules;
    if (rules.length === 0 || this.rulesRunning || this.#suiteRan.has(d.importId) || rules.every((r) => this.ruleResults[r.id])) return;
    this.#suiteRan.add(d.importId);
    void this.#runRuleList(d.importId, rules);
  }

  /** Keeps the inherited suite as this import's own rule suite. */
  adoptInherited(): Promise<void> {
    const inherited = this.inherited;
    if (!inherited) return Promise.resolve();
    return this.#saveSuite({ ...this.suite, rules: [...inherited.rules] });
  }

  /** Runs every check in the data worker and stores the report. */
  async run(): Promise<void> {
    const d = this.#current;
    if (!d?.inventory || this.isBusy) return;
    const started = performance.now();
    this.status = 'loading';
    try {
      const report = await runQuality(d.importId, d.inventory, (p) => {
        this.phase = p.phase;
        if (p.phase === 'check') this.status = 'checking';
      });
      await saveAnalysis(d.importId, QUALITY_KIND, report);
      this.runMs = performance.now() - started;
      this.status = 'idle';
    } catch (e) {
      this.status = 'failed';
      appErrors.report(e);
    } finally {
      this.phase = null;
    }
  }

  preview(key: string): StepPreview | undefined {
    return this.previews[key];
  }

  /** Previews step `index` of `steps` (the recipe, or the recipe plus a candidate step). */
  async previewSteps(steps: RecipeStep[], index: number): Promise<void> {
    const d = this.#current;
    if (!d) return;
    const key = previewKey(steps, index);
    if (this.previews[key]) return;
    this.previewing = key;
    try {
      const p = await previewRecipeStep(d.importId, createRecipe($state.snapshot(steps) as RecipeStep[]), index);
      this.previews = { ...this.previews, [key]: p };
    } catch (e) {
      appErrors.report(e);
    } finally {
      if (this.previewing === key) this.previewing = null;
    }
  }

  /** Previews a candidate step as if appended to the recipe. */
  previewCandidate(step: RecipeStep): Promise<void> {
    const steps = [...this.recipe.steps, step];
    return this.previewSteps(steps, steps.length - 1);
  }

  candidateKey(step: RecipeStep): string {
    const steps = [...this.recipe.steps, step];
    return previewKey(steps, steps.length - 1);
  }

  /** Adds steps to the recipe (skipping ones already in it) and previews each. */
  async addSteps(steps: RecipeStep[]): Promise<void> {
    const before = this.recipe;
    const next = addSteps(before, steps);
    if (next === before) return;
    await this.#saveRecipe(next);
    for (let i = before.steps.length; i < next.steps.length; i++) await this.previewSteps(next.steps, i);
  }

  /** Adds every suggested step not yet in the recipe. */
  addAllSuggested(): Promise<void> {
    return this.addSteps(this.pendingSteps);
  }

  removeStep(index: number): Promise<void> {
    return this.#saveRecipe(removeStep(this.recipe, index));
  }

  moveStep(from: number, to: number): Promise<void> {
    if (to < 0 || to >= this.recipe.steps.length) return Promise.resolve();
    return this.#saveRecipe(moveStep(this.recipe, from, to));
  }

  clearRecipe(): Promise<void> {
    return this.#saveRecipe(createRecipe());
  }

  acceptRule(rule: QualityRule): Promise<void> {
    return this.#saveSuite(acceptRule(this.suite, rule));
  }

  dismissRule(id: string): Promise<void> {
    return this.#saveSuite(dismissRule(this.suite, id));
  }

  /** Runs the accepted rules (or, when none are accepted, the pending suggestions) in the worker. */
  async runRules(): Promise<void> {
    const d = this.#current;
    if (!d) return;
    const rules = this.suite.rules.length ? this.suite.rules : this.inherited?.rules ?? this.pendingRules;
    return this.#runRuleList(d.importId, rules);
  }

  async #runRuleList(importId: string, rules: QualityRule[]): Promise<void> {
    this.rulesRunning = true;
    try {
      const results = await runRules(importId, $state.snapshot(rules) as QualityRule[]);
      // A result for an import closed meanwhile must not show on the next one.
      if (this.#openId === importId) this.ruleResults = Object.fromEntries(results.map((r) => [r.ruleId, r]));
    } catch (e) {
      appErrors.report(e);
    } finally {
      this.rulesRunning = false;
    }
  }

  downloadRules(format: 'json' | 'sql'): void {
    const rules = this.suite.rules;
    if (format === 'json') offerDownload(serializeRules(rules), 'quality-rules.json', 'application/json');
    else offerDownload(rulesToSql(rules) + ';\n', 'quality-rules.sql', 'application/sql');
  }

  downloadRecipe(format: 'json' | 'sql'): void {
    const tables = this.report?.tables.map((t) => t.table) ?? [];
    if (format === 'json') offerDownload(serializeRecipe(this.recipe), 'quality-recipe.json', 'application/json');
    else offerDownload(recipeToSql(this.recipe, tables) + '\n', 'quality-recipe.sql', 'application/sql');
  }

  /** Exports one table cleaned by the recipe and offers the file; keeps the cleaning log. */
  async exportTable(table: string, format: 'csv' | 'parquet'): Promise<void> {
    const d = this.#current;
    if (!d || this.exporting) return;
    this.exporting = `${table}:${format}`;
    try {
      const out = await exportCleaned(d.importId, $state.snapshot(this.recipe) as Recipe, table, format);
      this.lastLog = out.log;
      offerDownload(out.bytes, cleanedFileName(table, format), format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.apache.parquet');
    } catch (e) {
      appErrors.report(e);
    } finally {
      this.exporting = null;
    }
  }

  downloadLog(): void {
    const log = this.lastLog;
    if (!log) return;
    const table = log.views[0]?.table ?? 'tables';
    offerDownload(JSON.stringify(log, null, 2), cleanedFileName(table, 'log.json'), 'application/json');
  }

  async #saveRecipe(recipe: Recipe): Promise<void> {
    const id = this.#openId;
    if (!id) return;
    try {
      await saveAnalysis(id, RECIPE_KIND, $state.snapshot(recipe));
    } catch (e) {
      appErrors.report(e);
    }
  }

  async #saveSuite(suite: RuleSuiteState): Promise<void> {
    const id = this.#openId;
    if (!id) return;
    try {
      await saveAnalysis(id, RULES_KIND, $state.snapshot(suite));
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const quality = new QualityState();
