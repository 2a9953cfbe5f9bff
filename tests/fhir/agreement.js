#!/usr/bin/env node
// Agreement of Stepcare's results with what an SDC form filler computes from Stepcare's FHIR
// export of the same questionnaire (README.md, "The agreement test").
//
//   node agreement.js --questionnaire Q.json --records R.jsonl --results RESULTS.jsonl
//                     [--responses RESPONSES.jsonl] [--name NAME] [--show N]
//
//   Q.json             `stepcare export FILE --format fhir-r4`
//   R.jsonl            the answer records given to `stepcare eval`
//   RESULTS.jsonl      `stepcare eval FILE --with-answers` on them (JSON results)
//   RESPONSES.jsonl    `stepcare eval FILE --output-format fhir-r4` on them (checked against RESULTS)
//
// For every record that is not invalid, the record's own answers (all of them, shown or not) are put
// into a QuestionnaireResponse (records.js) and given to sdc_evaluate.js, which decides on its own
// which questions are enabled and what every let and outcome is. Compared with Stepcare's result:
//   shown questions  the questions the SDC evaluator enables (up to the stop point, see below)
//                    against those in the result's `answers` (every question shown, answered or
//                    not); and each answered question is shown iff it is not `ignored`, each
//                    `missing` one is shown
//   lets             `let.NAME`'s calculatedExpression against `values`
//   outcomes         `outcome.NAME`: true = in `outcomes`, empty = in `undetermined`, false = neither;
//                    and `outcome.NAME.text` enabled iff the outcome fired
//   stop             status `stopped` iff the replay below finds a stop point
// Exit status: 0 all agree; 1 any disagreement; 2 usage error or unreadable input.
//
// Records that stop. FHIR cannot end a form at an answer (docs/fhir.md, `[fhir-lossy]`), so the
// test replays Stepcare's documented rule (docs/language.md, "Stopping") on the FHIR side, from the
// export alone: an outcome item coded `stop` is a stop outcome; with the answers that count (the
// enabled ones) in document order, the stop point is the first point, before any answer or right
// after one, where a stop outcome's calculatedExpression is true over the answers up to there. The
// questions after it count as not shown, and lets and outcomes are computed over the answers up to
// it. So stopped records are compared in full, with the stop point found independently of Stepcare.
//
// Numbers are compared exactly: Stepcare writes the shortest text that reads back as the same
// binary64 number, JSON.parse reads it back to that number, and fhirpath.js (without its
// `preciseMath` option) computes in binary64 as Stepcare does.
//
// CommonJS, and nothing newer than what Node.js 18 (Debian 12) runs.
'use strict';

const fs = require('fs');
const { SdcEvaluator, SdcError } = require('./sdc_evaluate');
const { questionsOf, responseFromRecord } = require('./records');

const OUTCOME_SYSTEM = 'urn:stepcare:outcome';
const ITEMS_OF_LINKID = /%resource\.repeat\(item\)\.where\(linkId='((?:[^'\\]|\\.)*)'\)/g;

function readLines(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${e.code || e.message})`);
  }
  return text.split('\n').filter((l) => l.trim()).map((l, k) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new UsageError(`${file}: line ${k + 1} is not JSON (${e.message})`);
    }
  });
}

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { show: 10, name: null };
  const valued = { '--questionnaire': 'questionnaire', '--records': 'records', '--results': 'results',
    '--responses': 'responses', '--name': 'name', '--show': 'show' };
  for (let k = 0; k < argv.length; k++) {
    const key = valued[argv[k]];
    if (!key || k + 1 >= argv.length) throw new UsageError(`unknown option or missing value: '${argv[k]}'`);
    opts[key] = argv[++k];
  }
  for (const need of ['questionnaire', 'records', 'results']) {
    if (!opts[need]) throw new UsageError(`--${need} is required`);
  }
  opts.show = Number(opts.show);
  return opts;
}

/** What the comparison needs to know of the exported Questionnaire. */
class ExportFacts {
  constructor(questionnaire, evaluator) {
    this.questions = questionsOf(questionnaire);
    this.position = new Map(this.questions.map((q, k) => [q.linkId, k]));
    this.lets = [];
    this.outcomes = [];
    this.stopOutcomes = [];
    for (const item of evaluator.items) {
      const linkId = item.linkId;
      if (linkId.startsWith('let.') && item.calculated) {
        this.lets.push({ linkId, name: linkId.slice(4), type: item.type, repeats: item.repeats });
      } else if (/^outcome\.[^.]+$/.test(linkId) && item.calculated) {
        const codes = item.definition.code || [];
        const outcome = { linkId, name: linkId.slice(8), text: `${linkId}.text` };
        this.outcomes.push(outcome);
        if (codes.some((c) => c.system === OUTCOME_SYSTEM && c.code === 'stop')) this.stopOutcomes.push(outcome);
      }
    }
    this.stopDependencies = this.dependenciesOf(questionnaire, evaluator, this.stopOutcomes);
  }

  // The questions the stop outcomes read, through the variables they use, or null when an
  // expression reads the response other than by `ANS(Q)`: then every answer is a possible stop.
  dependenciesOf(questionnaire, evaluator, outcomes) {
    const texts = new Map(evaluator.variables.map((v) => [v.name, v.text]));
    const calculatedText = (linkId) => {
      const item = evaluator.items.find((i) => i.linkId === linkId).definition;
      const ext = item.extension.find((e) => /calculatedExpression$/.test(e.url));
      return ext.valueExpression.expression;
    };
    const questions = new Set();
    const seen = new Set();
    const pending = outcomes.map((o) => calculatedText(o.linkId));
    while (pending.length) {
      const text = pending.pop();
      for (const m of text.matchAll(ITEMS_OF_LINKID)) questions.add(m[1]);
      const rest = text.replace(ITEMS_OF_LINKID, '');
      if (/%(resource|rootResource|context)\b|\bitem\b|linkId/.test(rest)) return null;
      for (const m of rest.matchAll(/%([A-Za-z0-9]+)/g)) {
        if (!seen.has(m[1]) && texts.has(m[1])) {
          seen.add(m[1]);
          pending.push(texts.get(m[1]));
        }
      }
    }
    return questions;
  }
}

// A response keeping only the question items in `keep`, and the groups around them.
function restrictResponse(response, keep) {
  const filter = (items) => {
    const out = [];
    for (const ri of items || []) {
      if (keep.has(ri.linkId)) {
        out.push(ri);
      } else if (ri.item) {
        const children = filter(ri.item);
        if (children.length) out.push({ ...ri, item: children });
      }
    }
    return out;
  };
  const copy = { ...response };
  delete copy.item;
  const items = filter(response.item);
  if (items.length) copy.item = items;
  return copy;
}

// Question linkIds with an item in a response, at any depth.
function answeredIn(response) {
  const out = new Set();
  const visit = (items) => {
    for (const ri of items || []) {
      out.add(ri.linkId);
      visit(ri.item);
      for (const a of ri.answer || []) visit(a.item);
    }
  };
  visit(response.item);
  return out;
}

function show(v) {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

// Stepcare's let value against the FHIR collection of `let.NAME`, by the let's item type
// (docs/fhir.md, "Variables"): a known value is a one-element collection, unknown (null) the
// empty one; a multi let is a collection of option ids, where "none chosen" is the empty
// collection too (told apart by the item's presence in a response), and the order of the ids
// is not compared.
function letAgrees(item, stepcareValue, fhirValue) {
  if (!Array.isArray(fhirValue)) return false;
  if (item.repeats) {
    if (stepcareValue === null) return fhirValue.length === 0;
    if (!Array.isArray(stepcareValue)) return false;
    const a = [...stepcareValue].sort();
    const b = [...fhirValue].sort();
    return a.length === b.length && a.every((x, k) => x === b[k]);
  }
  if (stepcareValue === null) return fhirValue.length === 0;
  if (fhirValue.length !== 1) return false;
  const [v] = fhirValue;
  switch (item.type) {
    case 'boolean': return typeof v === 'boolean' && v === stepcareValue;
    case 'decimal': return typeof v === 'number' && v === stepcareValue;
    case 'string': return typeof v === 'string' && v === stepcareValue;
    default: return false;
  }
}

class Agreement {
  constructor(questionnaire, opts) {
    this.questionnaire = questionnaire;
    this.evaluator = new SdcEvaluator(questionnaire);
    this.facts = new ExportFacts(questionnaire, this.evaluator);
    this.name = opts.name || questionnaire.id;
    this.show = opts.show;
    this.counts = { records: 0, compared: 0, invalid: 0, stopped: 0, disagreements: 0, comparisons: 0 };
    this.disagreeing = new Set();
    this.details = [];
  }

  disagree(record, what, stepcare, sdc) {
    this.counts.disagreements++;
    this.disagreeing.add(record.id);
    if (this.details.length < this.show) {
      this.details.push(`${this.name}: record ${record.id}: ${what}: stepcare ${stepcare}, SDC ${sdc}\n` +
        `    answers ${JSON.stringify(record.answers)}`);
    }
  }

  check(record, what, stepcare, sdc, same) {
    this.counts.comparisons++;
    if (!same) this.disagree(record, what, stepcare, sdc);
  }

  // The stop point: -1 before the first answer, k after the k-th question (document order), or
  // null when no stop outcome fires.
  stopPoint(pruned, state) {
    const { stopOutcomes, stopDependencies, questions } = this.facts;
    if (!stopOutcomes.length) return null;
    const counted = answeredIn(pruned);
    const keep = new Set();
    const fires = () => {
      const values = this.evaluator.calculate(restrictResponse(pruned, keep), stopOutcomes.map((o) => o.linkId), state);
      return stopOutcomes.some((o) => values[o.linkId].length === 1 && values[o.linkId][0] === true);
    };
    if (fires()) return -1;
    for (let k = 0; k < questions.length; k++) {
      const linkId = questions[k].linkId;
      if (!counted.has(linkId)) continue;
      keep.add(linkId);
      // A stop outcome's value changes only with an answer it reads.
      if (stopDependencies && !stopDependencies.has(linkId)) continue;
      if (fires()) return k;
    }
    return null;
  }

  compare(record, result, stepcareResponse) {
    this.counts.records++;
    if (result.id !== record.id) {
      throw new UsageError(`${this.name}: result ${this.counts.records} has id ${show(result.id)}, its record ${show(record.id)}: are the files in step?`);
    }
    if (stepcareResponse !== undefined) this.checkStepcareResponse(record, result, stepcareResponse);
    if (result.status === 'invalid') {
      this.counts.invalid++;
      return;
    }
    this.counts.compared++;
    try {
      this.compareEvaluated(record, result);
    } catch (e) {
      if (!(e instanceof SdcError)) throw e;
      // fhirpath.js refusing an exported expression is what a form filler built on it would meet.
      this.disagree(record, 'SDC evaluation', 'a result', `an error: ${e.message}`);
    }
  }

  compareEvaluated(record, result) {
    const { questions, lets, outcomes } = this.facts;
    const { enabled, response: pruned, state } = this.evaluator.walk(responseFromRecord(this.questionnaire, record), { copy: false });
    const stop = this.stopPoint(pruned, state);
    if (stop !== null) this.counts.stopped++;
    this.check(record, 'status', result.status, stop === null ? 'not stopped' : `stopped after ${stop < 0 ? 'no answer' : `'${questions[stop].linkId}'`}`,
      (result.status === 'stopped') === (stop !== null));

    // Shown questions.
    const shownBySdc = (k) => enabled.has(questions[k].linkId) && (stop === null || k <= stop);
    const ignored = new Set(result.ignored);
    const missing = new Set(result.missing);
    const listed = result.answers ? new Set(result.answers.map((a) => a.question)) : null;
    questions.forEach((q, k) => {
      const sdc = shownBySdc(k);
      const answered = record.answers[q.linkId] !== undefined && record.answers[q.linkId] !== null;
      if (listed) this.check(record, `'${q.linkId}' shown`, listed.has(q.linkId), sdc, listed.has(q.linkId) === sdc);
      if (answered) {
        this.check(record, `'${q.linkId}' answered, shown (not ignored)`, !ignored.has(q.linkId), sdc, ignored.has(q.linkId) !== sdc);
      } else if (missing.has(q.linkId)) {
        this.check(record, `'${q.linkId}' missing, so shown`, true, sdc, sdc);
      }
    });

    // Lets and outcomes, over the answers up to the stop point.
    const final = stop === null ? pruned
      : restrictResponse(pruned, new Set(questions.slice(0, stop + 1).map((q) => q.linkId)));
    const values = this.evaluator.calculate(final, lets.map((l) => l.linkId).concat(outcomes.map((o) => o.linkId)), state);
    for (const l of lets) {
      const stepcareValue = result.values[l.name];
      this.check(record, `'${l.linkId}'`, show(stepcareValue), show(values[l.linkId]),
        stepcareValue !== undefined && letAgrees(l, stepcareValue, values[l.linkId]));
    }
    const fired = new Set(result.outcomes.map((o) => o.id));
    const undetermined = new Set(result.undetermined.map((o) => o.id));
    for (const o of outcomes) {
      const stepcareState = fired.has(o.name) ? 'fired' : undetermined.has(o.name) ? 'undetermined' : 'not fired';
      const v = values[o.linkId];
      const sdcState = v.length === 0 ? 'undetermined' : v.length === 1 && v[0] === true ? 'fired'
        : v.length === 1 && v[0] === false ? 'not fired' : `not a boolean: ${show(v)}`;
      this.check(record, `'${o.linkId}'`, stepcareState, sdcState, stepcareState === sdcState);
      if (stop === null) {
        this.check(record, `'${o.text}' enabled iff fired`, stepcareState, enabled.has(o.text) ? 'enabled' : 'disabled',
          enabled.has(o.text) === (stepcareState === 'fired'));
      }
    }
  }

  // Stepcare's own QuestionnaireResponse against its JSON result for the same record
  // (docs/fhir.md, "Responses out"): same record, status, counted answers, lets and outcomes.
  checkStepcareResponse(record, result, resource) {
    const what = (s) => `eval --output-format fhir-r4: ${s}`;
    if (result.status === 'invalid') {
      this.check(record, what('resourceType'), 'OperationOutcome', show(resource.resourceType), resource.resourceType === 'OperationOutcome');
      return;
    }
    this.check(record, what('resourceType'), 'QuestionnaireResponse', show(resource.resourceType), resource.resourceType === 'QuestionnaireResponse');
    if (resource.resourceType !== 'QuestionnaireResponse') return;
    const status = { complete: 'completed', incomplete: 'in-progress', stopped: 'stopped' }[result.status];
    this.check(record, what('status'), status, show(resource.status), resource.status === status);
    this.check(record, what('identifier.value'), show(String(record.id)), show(resource.identifier && resource.identifier.value),
      resource.identifier && resource.identifier.value === String(record.id));
    const items = new Map();
    const visit = (list) => (list || []).forEach((ri) => { items.set(ri.linkId, ri); visit(ri.item); });
    visit(resource.item);
    const counted = new Set((result.answers || []).filter((a) => a.answer !== null).map((a) => a.question));
    for (const q of this.facts.questions) {
      if (result.answers) {
        this.check(record, what(`item '${q.linkId}' present`), counted.has(q.linkId), items.has(q.linkId), counted.has(q.linkId) === items.has(q.linkId));
      }
    }
    for (const l of this.facts.lets) {
      const v = result.values[l.name];
      const ri = items.get(l.linkId);
      let fhir = ri ? (ri.answer || []).map((a) => a[Object.keys(a).find((k) => k.startsWith('value'))]) : [];
      // The item of a text let without answers is the empty text (docs/fhir.md).
      if (ri && fhir.length === 0 && l.type === 'string' && !l.repeats) fhir = [''];
      this.check(record, what(`'${l.linkId}'`), show(v), show(fhir), v !== undefined && letAgrees(l, v, fhir) && (v === null) === !ri);
    }
    const fired = new Set(result.outcomes.map((o) => o.id));
    const undetermined = new Set(result.undetermined.map((o) => o.id));
    for (const o of this.facts.outcomes) {
      const ri = items.get(o.linkId);
      const fhir = ri ? show((ri.answer || []).map((a) => a.valueBoolean)) : '(no item)';
      const want = fired.has(o.name) ? '[true]' : undetermined.has(o.name) ? '(no item)' : '[false]';
      this.check(record, what(`'${o.linkId}'`), want, fhir, fhir === want);
    }
  }

  report() {
    const c = this.counts;
    const lines = [`${this.name}: ${c.compared} records compared (${c.stopped} stopped), ${c.invalid} invalid skipped, ` +
      `${c.comparisons} comparisons, ${c.disagreements} disagreements in ${this.disagreeing.size} records`];
    return lines.concat(this.details).join('\n') + '\n';
  }
}

function main(argv) {
  let opts;
  let questionnaire;
  let records;
  let results;
  let responses;
  try {
    opts = parseArgs(argv.slice(2));
    try {
      questionnaire = JSON.parse(fs.readFileSync(opts.questionnaire, 'utf8'));
    } catch (e) {
      throw new UsageError(`${opts.questionnaire}: cannot read a JSON Questionnaire (${e.code || e.message})`);
    }
    records = readLines(opts.records);
    results = readLines(opts.results);
    responses = opts.responses ? readLines(opts.responses) : null;
    if (results.length !== records.length || (responses && responses.length !== records.length)) {
      throw new UsageError(`${records.length} records, ${results.length} results${responses ? `, ${responses.length} responses` : ''}: the files are not in step`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`agreement.js: ${e.message}\n`);
    return 2;
  }
  try {
    const agreement = new Agreement(questionnaire, opts);
    records.forEach((r, k) => agreement.compare(r, results[k], responses ? responses[k] : undefined));
    process.stdout.write(agreement.report());
    return agreement.counts.disagreements === 0 ? 0 : 1;
  } catch (e) {
    if (!(e instanceof SdcError) && !(e instanceof UsageError)) throw e;
    process.stderr.write(`agreement.js: ${e.message}\n`);
    return 1;
  }
}

module.exports = { Agreement, restrictResponse, letAgrees };

if (require.main === module) process.exitCode = main(process.argv);
