#!/usr/bin/env node
// Answer records for a questionnaire exported as FHIR R4 (docs/fhir.md), both ways:
//   - a seeded generator of records in Stepcare's answers format (docs/cli.md, "Answers JSON"),
//     read off the exported Questionnaire alone (types, options, minValue/maxValue, maxLength,
//     the `require` constraints);
//   - the QuestionnaireResponse that holds a record's answers, typed as docs/fhir.md says.
//
//   node records.js QUESTIONNAIRE.json [--records N] [--seed S]    records as JSON lines on stdout
//   node records.js --responses QUESTIONNAIRE.json RECORDS.jsonl    their responses as JSON lines
//
// CommonJS, and nothing newer than what Node.js 18 (Debian 12) runs.
'use strict';

const fs = require('fs');
const { SdcEvaluator, SdcError, URL_CALCULATED_EXPRESSION } = require('./sdc_evaluate');

const URL_MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
const URL_MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';
const URL_CONSTRAINT = 'http://hl7.org/fhir/StructureDefinition/questionnaire-constraint';

function extensionValue(element, url) {
  const ext = (element.extension || []).find((e) => e.url === url);
  if (!ext) return undefined;
  const key = Object.keys(ext).find((k) => k.startsWith('value'));
  return key ? ext[key] : undefined;
}

function isCalculated(item) {
  return (item.extension || []).some((e) => e.url === URL_CALCULATED_EXPRESSION);
}

const KINDS = { boolean: 'yesno', integer: 'integer', decimal: 'decimal', string: 'text' };

/** The questions of an exported Questionnaire, in document order, with what an answer may be. */
function questionsOf(questionnaire) {
  const out = [];
  const visit = (items) => {
    for (const item of items || []) {
      if (item.type !== 'group' && item.type !== 'display' && !isCalculated(item)) {
        const kind = item.type === 'choice' ? (item.repeats ? 'multi' : 'choice') : KINDS[item.type];
        if (!kind) throw new SdcError(`item '${item.linkId}' has type ${item.type}, which Stepcare does not export`);
        const q = { linkId: item.linkId, kind, required: !!item.required };
        if (kind === 'choice' || kind === 'multi') {
          q.options = (item.answerOption || []).map((o) => o.valueCoding);
          if (q.options.some((c) => !c || typeof c.code !== 'string')) {
            throw new SdcError(`item '${item.linkId}': an answerOption without valueCoding.code`);
          }
        }
        if (kind === 'integer' || kind === 'decimal') {
          q.min = extensionValue(item, URL_MIN_VALUE);
          q.max = extensionValue(item, URL_MAX_VALUE);
        }
        if (kind === 'text') q.maxLength = item.maxLength;
        q.constraints = (item.extension || []).filter((e) => e.url === URL_CONSTRAINT)
          .map((e) => (e.extension || []).find((x) => x.url === 'expression'))
          .filter(Boolean).map((x) => x.valueString);
        out.push(q);
      }
      visit(item.item);
    }
  };
  visit(questionnaire.item);
  return out;
}

/**
 * The QuestionnaireResponse holding a record's answers (all of them, whether the questions would
 * be shown or not), in the questionnaire's item structure: a group item only around answered
 * questions; a multi answered with none chosen is an item without `answer` (docs/fhir.md).
 */
const knownQuestions = new WeakMap();

function responseFromRecord(questionnaire, record) {
  const answers = record.answers || {};
  if (!knownQuestions.has(questionnaire)) {
    knownQuestions.set(questionnaire, new Set(questionsOf(questionnaire).map((q) => q.linkId)));
  }
  const known = knownQuestions.get(questionnaire);
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) throw new SdcError(`record ${record.id}: '${key}' is not a question of the questionnaire`);
  }
  const build = (items) => {
    const out = [];
    for (const item of items || []) {
      if (item.type === 'group') {
        const children = build(item.item);
        if (children.length) out.push({ linkId: item.linkId, item: children });
        continue;
      }
      const value = answers[item.linkId];
      if (item.type === 'display' || isCalculated(item) || value === undefined || value === null) continue;
      const ri = { linkId: item.linkId };
      const answerList = typedAnswers(item, value, record.id);
      if (answerList.length) ri.answer = answerList;
      out.push(ri);
    }
    return out;
  };
  const response = {
    resourceType: 'QuestionnaireResponse',
    identifier: { value: String(record.id) },
    questionnaire: questionnaire.version ? `${questionnaire.url}|${questionnaire.version}` : questionnaire.url,
    status: 'completed',
  };
  const item = build(questionnaire.item);
  if (item.length) response.item = item;
  return response;
}

function typedAnswers(item, value, id) {
  const where = `record ${id}, '${item.linkId}'`;
  const coding = (code) => {
    const option = (item.answerOption || []).find((o) => o.valueCoding && o.valueCoding.code === code);
    if (!option) throw new SdcError(`${where}: no option '${code}'`);
    const c = { system: option.valueCoding.system, code, display: option.valueCoding.display };
    if (c.system === undefined) delete c.system;
    if (c.display === undefined) delete c.display;
    return { valueCoding: c };
  };
  switch (item.type) {
    case 'boolean':
      if (value === true || value === 'yes') return [{ valueBoolean: true }];
      if (value === false || value === 'no') return [{ valueBoolean: false }];
      break;
    case 'choice':
      if (item.repeats && Array.isArray(value)) return value.map(coding);
      if (!item.repeats && typeof value === 'string') return [coding(value)];
      break;
    case 'integer':
      if (Number.isInteger(value)) return [{ valueInteger: value }];
      break;
    case 'decimal':
      if (typeof value === 'number') return [{ valueDecimal: value }];
      break;
    case 'string':
      // A FHIR string is never empty: the empty text is the item without answers (docs/fhir.md).
      if (typeof value === 'string') return value === '' ? [] : [{ valueString: value }];
      break;
    default:
  }
  throw new SdcError(`${where}: ${JSON.stringify(value)} is not an answer for an item of type ${item.type}`);
}

// ---------------------------------------------------------------------------------------------
// The generator

// A small seeded generator (mulberry32): integer arithmetic only, so the same seed gives the same
// records with every Node.js version.
function randomFrom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    below: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

// Numbers and strings the questionnaire's expressions and conditions compare with: answers equal
// to a threshold, or just beside it, are where two implementations part if they ever do.
function literalsOf(questionnaire) {
  const numbers = new Set();
  const strings = new Set();
  const visitValue = (v) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach(visitValue); return; }
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'answerInteger' || k === 'answerDecimal') && typeof x === 'number') numbers.add(x);
      if (k === 'expression' && typeof x === 'string') {
        for (const m of x.matchAll(/'((?:[^'\\]|\\.)*)'/g)) strings.add(m[1]);
        for (const m of x.replace(/'((?:[^'\\]|\\.)*)'/g, "''").matchAll(/(?<![A-Za-z0-9_.%])(\d+(?:\.\d+)?)(?![A-Za-z0-9_])/g)) {
          numbers.add(Number(m[1]));
        }
      }
      visitValue(x);
    }
  };
  visitValue(questionnaire);
  return { numbers: [...numbers].sort((a, b) => a - b), strings: [...strings].sort() };
}

const WORDS = ['sleep', 'work', 'café', 'family', 'pain', 'naïve', 'none', 'yes', 'no', '', ' ', 'Ünïcødé ✓', 'a\nb'];

class RecordGenerator {
  constructor(questionnaire, seed) {
    this.questionnaire = questionnaire;
    this.questions = questionsOf(questionnaire);
    this.random = randomFrom(seed);
    this.literals = literalsOf(questionnaire);
    this.evaluator = null;
    this.constraints = new Map();
    for (const q of this.questions) {
      if (!q.constraints.length) continue;
      if (!this.evaluator) this.evaluator = new SdcEvaluator(questionnaire);
      this.constraints.set(q.linkId, q.constraints.map((text, k) =>
        this.evaluator.compile(text, `item '${q.linkId}' constraint ${k + 1}`)));
    }
  }

  number(q, profile) {
    const r = this.random;
    const integer = q.kind === 'integer';
    const min = typeof q.min === 'number' ? q.min : integer ? -1000 : -1000.0;
    const max = typeof q.max === 'number' ? q.max : integer ? 1000 : 1000.0;
    const inRange = (v) => v >= min && v <= max;
    const step = integer ? 1 : 0.1;
    const round = (v) => (integer ? Math.round(v) : Math.round(v * 1000) / 1000);
    const near = this.literals.numbers.flatMap((n) => [n - step, n, n + step]).map(round).filter(inRange);
    const roll = profile === 'edges' ? r.below(3) : r.below(10);
    if (roll === 0) return r.pick([min, max]);
    if (roll === 1) return r.pick([round(min + step), round(max - step), round((min + max) / 2)].filter(inRange));
    if (roll === 2 && near.length) return r.pick(near);
    if (integer) return min + r.below(max - min + 1);
    // Mostly tenths, as people type; some with more digits.
    const digits = r.pick([1, 1, 1, 2, 3]);
    const scale = 10 ** digits;
    return Math.min(max, Math.round((min + r.next() * (max - min)) * scale) / scale);
  }

  text(q, profile) {
    const r = this.random;
    const limit = typeof q.maxLength === 'number' ? q.maxLength : 65536;
    if (profile === 'edges' && r.chance(0.5) && limit <= 2000) return 'x'.repeat(limit);
    const pool = WORDS.concat(this.literals.strings);
    let s = r.pick(pool);
    while (r.chance(0.3)) s += ' ' + r.pick(pool);
    return [...s].slice(0, limit).join('');
  }

  answer(q, profile, bias) {
    const r = this.random;
    switch (q.kind) {
      case 'yesno': {
        const yes = r.chance(bias.yes);
        return r.chance(0.1) ? (yes ? 'yes' : 'no') : yes;
      }
      case 'choice':
        return r.pick(q.options).code;
      case 'multi': {
        if (profile === 'edges' && r.chance(0.5)) return r.chance(0.5) ? [] : q.options.map((o) => o.code);
        return q.options.filter(() => r.chance(bias.tick)).map((o) => o.code);
      }
      case 'integer':
      case 'decimal':
        return this.number(q, profile);
      case 'text':
        return this.text(q, profile);
      default:
        throw new SdcError(`no answers for kind ${q.kind}`);
    }
  }

  /** Record number `id`: complete, partial, cut short or made of edge values. */
  record(id) {
    const r = this.random;
    const profile = r.pick(['complete', 'complete', 'partial', 'partial', 'cut', 'edges']);
    // Mostly "no" to yes/no questions: a "yes" to the first question of the bundled questionnaires
    // (danger now) stops the intake, and later questions need records that go on.
    const bias = { yes: r.pick([0.05, 0.15, 0.4]), tick: r.pick([0.15, 0.35, 0.6]) };
    const omit = profile === 'partial' ? r.pick([0.15, 0.5]) : profile === 'edges' ? 0.1 : 0;
    const cut = profile === 'cut' ? r.below(this.questions.length + 1) : this.questions.length;
    const answers = {};
    this.questions.forEach((q, k) => {
      if (k >= cut || r.chance(omit)) return;
      answers[q.linkId] = this.answer(q, profile, bias);
    });
    this.satisfyConstraints(id, answers, profile, bias);
    return { id, answers };
  }

  // Draws again, up to five times, an answer that a `require` constraint rejects, and leaves the
  // question unanswered after that, so that few records are invalid. The constraint is read on all
  // the answers given, shown or not, so it may reject answers Stepcare would accept; that only
  // shifts the mix of answers.
  satisfyConstraints(id, answers, profile, bias) {
    if (!this.constraints.size) return;
    const attempts = new Map();
    const ev = this.evaluator;
    // A constraint reads its own question and earlier ones: those before the one last drawn
    // again still hold.
    for (let from = 0; ;) {
      ev.startState(responseFromRecord(this.questionnaire, { id, answers }), { copy: false });
      const failing = this.questions.find((q, k) => {
        const checks = k >= from && this.constraints.get(q.linkId);
        return checks && answers[q.linkId] !== undefined && !checks.every((run) => {
          const v = ev.fhirpath.resolveInternalTypes(run(ev.envAll));
          return v.length === 1 && v[0] === true;
        });
      });
      if (!failing) return;
      from = this.questions.indexOf(failing);
      const tried = (attempts.get(failing.linkId) || 0) + 1;
      attempts.set(failing.linkId, tried);
      if (tried > 5) delete answers[failing.linkId];
      else answers[failing.linkId] = this.answer(failing, profile, bias);
    }
  }
}

function main(argv) {
  const args = argv.slice(2);
  const usage = 'usage: node records.js QUESTIONNAIRE.json [--records N] [--seed S]\n' +
    '       node records.js --responses QUESTIONNAIRE.json RECORDS.jsonl\n';
  const fail = (message, status) => { process.stderr.write(`records.js: ${message}\n${status === 2 ? usage : ''}`); return status; };
  try {
    if (args[0] === '--responses') {
      if (args.length !== 3) return fail('--responses takes QUESTIONNAIRE.json RECORDS.jsonl', 2);
      const questionnaire = JSON.parse(fs.readFileSync(args[1], 'utf8'));
      const lines = fs.readFileSync(args[2], 'utf8').split('\n').filter((l) => l.trim());
      process.stdout.write(lines.map((l) => JSON.stringify(responseFromRecord(questionnaire, JSON.parse(l))) + '\n').join(''));
      return 0;
    }
    let records = 1000;
    let seed = 1;
    let file = null;
    for (let k = 0; k < args.length; k++) {
      if (args[k] === '--records') records = Number(args[++k]);
      else if (args[k] === '--seed') seed = Number(args[++k]);
      else if (args[k].startsWith('-')) return fail(`unknown option '${args[k]}'`, 2);
      else if (file === null) file = args[k];
      else return fail('one QUESTIONNAIRE only', 2);
    }
    if (file === null || !Number.isInteger(records) || records < 0 || !Number.isInteger(seed)) return fail('bad arguments', 2);
    const generator = new RecordGenerator(JSON.parse(fs.readFileSync(file, 'utf8')), seed);
    let out = '';
    for (let id = 1; id <= records; id++) {
      out += JSON.stringify(generator.record(id)) + '\n';
      if (out.length > 1 << 20) { fs.writeSync(1, out); out = ''; }
    }
    fs.writeSync(1, out);
    return 0;
  } catch (e) {
    if (e instanceof SdcError || e instanceof SyntaxError || e.code === 'ENOENT') return fail(e.message, 1);
    throw e;
  }
}

module.exports = { questionsOf, responseFromRecord, RecordGenerator, randomFrom };

if (require.main === module) process.exitCode = main(process.argv);
