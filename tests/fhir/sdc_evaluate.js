#!/usr/bin/env node
// An independent SDC form-filler core: given a FHIR R4 Questionnaire (as Stepcare exports it,
// docs/fhir.md) and QuestionnaireResponses holding answers, it computes what an SDC form filler
// shows and calculates, using only the npm `fhirpath` package and its R4 model. See README.md.
//
//   node sdc_evaluate.js [--literal] QUESTIONNAIRE.json RESPONSES...
//
// RESPONSES: files of one resource, a JSON array, a Bundle, or JSON lines (one resource a line).
// Output: one JSON line per response, in input order:
//   {"id": ..., "enabled": [linkId, ...], "variables": {NAME: [...]}, "calculated": {linkId: [...]}}
// `enabled` lists every enabled item of any type in document order; values are FHIRPath
// collections written as JSON arrays (empty: no value).
// Exit status: 0 done; 1 a questionnaire or response the evaluator cannot take (the message
// names the item or expression); 2 usage error or unreadable input.
//
// CommonJS, and nothing newer than what Node.js 18 (Debian 12) runs.
'use strict';

const fs = require('fs');

const URL_VARIABLE = 'http://hl7.org/fhir/StructureDefinition/variable';
const URL_ENABLE_WHEN_EXPRESSION =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';
const URL_CALCULATED_EXPRESSION =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression';
// Extensions that change what a filler computes; any other one with such a name is reported
// rather than silently ignored (a misspelt URL would otherwise disable a condition).
const KNOWN_EXPRESSION_URLS = new Set([URL_VARIABLE, URL_ENABLE_WHEN_EXPRESSION, URL_CALCULATED_EXPRESSION]);
const EXPRESSION_URL_SUSPECT = /variable|enableWhenExpression|calculatedExpression|initialExpression|answerExpression/i;

// Stepcare writes a question's items as `%resource.repeat(item).where(linkId='Q')` (docs/fhir.md,
// "Expressions"). fhirpath.js evaluates repeat() in time quadratic in the response's size (it hashes
// every node's whole subtree to drop duplicates), about 0.5 ms a call on a 70-item response, which
// would make 10,000 records take an hour. Outside --literal each such text is read as an environment
// variable holding the same items: every item reachable from the response through `item`, with that
// linkId, as ResourceNodes typed by the R4 model (from `%resource.item`, `%resource.item.item`, ...
// down to the questionnaire's depth), taken once per response and kept up to date as answers are
// removed. So are `.answer.value` and `.answer.value.code` after it, which Stepcare repeats in
// every `score()`. The tests in sdc_fixtures/ run both ways and must give the same output.
const ITEMS_OF_LINKID = /%resource\.repeat\(item\)\.where\(linkId='((?:[^'\\]|\\.)*)'\)/g;
// The same with the paths Stepcare adds to it, whose nodes are also taken once per response.
const SHORTCUT = /%resource\.repeat\(item\)\.where\(linkId='((?:[^'\\]|\\.)*)'\)(\.answer\.value(?:\.code)?(?![A-Za-z0-9_]))?/g;
const LINKID_LITERAL = /linkId\s*=\s*'((?:[^'\\]|\\.)*)'/g;

class SdcError extends Error {}

const FHIRPATH_WORDS = new Set(['and', 'or', 'xor', 'implies', 'in', 'contains', 'div', 'mod', 'is', 'as', 'true', 'false']);

// What an expression reads of the response: the linkIds it names, or null when it may read any
// item (it reaches the response otherwise than by `...where(linkId='X')`). Used only to keep the
// variables that cannot have changed when answers are removed.
function linkIdsRead(text) {
  const linkIds = new Set();
  for (const m of text.matchAll(LINKID_LITERAL)) linkIds.add(unescapeFhirpathString(m[1]));
  const rest = text.replace(ITEMS_OF_LINKID, '%_items').replace(/'((?:[^'\\]|\\.)*)'/g, "''");
  if (/%(resource|rootResource|context)\b/.test(rest)) return null;
  // A name at the start of a path (not after '.', '%' or '$', not a function) reads the context.
  for (const m of rest.matchAll(/(^|[^.%$A-Za-z0-9_`])([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])(?!\s*\()/g)) {
    if (!FHIRPATH_WORDS.has(m[2])) return null;
  }
  return linkIds;
}

let packages = null;
function loadFhirpath() {
  if (!packages) {
    try {
      packages = { fhirpath: require('fhirpath'), r4: require('fhirpath/fhir-context/r4') };
    } catch (e) {
      throw new SdcError(`the npm package fhirpath is not installed (${e.code || e.message}); run 'npm ci' in ${__dirname}`);
    }
  }
  return packages;
}

function unescapeFhirpathString(s) {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c) => {
    if (c[0] === 'u') return String.fromCharCode(parseInt(c.slice(1), 16));
    return { t: '\t', n: '\n', r: '\r', f: '\f' }[c] || c;
  });
}

// The one value of an answer (`value[x]`) or of an enableWhen (`answer[x]`): {type, value}.
function choiceValue(element, prefix, where) {
  let found = null;
  for (const key of Object.keys(element)) {
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key[prefix.length])) {
      if (found) throw new SdcError(`${where} has two values, ${found.key} and ${key}`);
      found = { key, type: key.slice(prefix.length), value: element[key] };
    }
  }
  if (!found) throw new SdcError(`${where} has no ${prefix}[x]`);
  return found;
}

const NUMBER_TYPES = new Set(['Integer', 'Decimal']);
const ORDERED_TEXT_TYPES = new Set(['Date', 'DateTime', 'Time', 'String']);

// R4's enableWhen operators, as HL7 later worded them unambiguously (R4B, R5): `=` and the
// orderings hold when at least one answer satisfies them, `!=` when no answer equals.
function valuesEqual(a, w) {
  if (NUMBER_TYPES.has(a.type) && NUMBER_TYPES.has(w.type)) return a.value === w.value;
  if (a.type !== w.type) return false;
  switch (a.type) {
    case 'Coding':
      return a.value.code === w.value.code &&
        (a.value.system === undefined || w.value.system === undefined || a.value.system === w.value.system);
    case 'Quantity':
      return a.value.value === w.value.value && (a.value.code || a.value.unit) === (w.value.code || w.value.unit);
    case 'Reference':
      return a.value.reference === w.value.reference;
    default:
      return a.value === w.value;
  }
}

function compareOrdered(a, w, where) {
  let x, y;
  if (NUMBER_TYPES.has(a.type) && NUMBER_TYPES.has(w.type)) {
    x = a.value; y = w.value;
  } else if (a.type === w.type && ORDERED_TEXT_TYPES.has(a.type)) {
    x = a.value; y = w.value;
  } else if (a.type === 'Quantity' && w.type === 'Quantity' &&
             (a.value.code || a.value.unit) === (w.value.code || w.value.unit)) {
    x = a.value.value; y = w.value.value;
  } else {
    throw new SdcError(`${where}: cannot order an answer of type ${a.type} against ${w.type}`);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function conditionHolds(operator, answers, w, where) {
  switch (operator) {
    case 'exists':
      if (w.type !== 'Boolean') throw new SdcError(`${where}: operator exists needs answerBoolean`);
      return (answers.length > 0) === w.value;
    case '=': return answers.some((a) => valuesEqual(a, w));
    case '!=': return !answers.some((a) => valuesEqual(a, w));
    case '<': return answers.some((a) => compareOrdered(a, w, where) < 0);
    case '<=': return answers.some((a) => compareOrdered(a, w, where) <= 0);
    case '>': return answers.some((a) => compareOrdered(a, w, where) > 0);
    case '>=': return answers.some((a) => compareOrdered(a, w, where) >= 0);
    default: throw new SdcError(`${where}: unknown operator '${operator}'`);
  }
}

function expressionOf(extension, where) {
  const e = extension.valueExpression;
  if (!e || typeof e.expression !== 'string') throw new SdcError(`${where}: no valueExpression.expression`);
  if (e.language !== 'text/fhirpath') throw new SdcError(`${where}: language '${e.language}', not text/fhirpath`);
  return e;
}

class SdcEvaluator {
  /**
   * @param questionnaire an R4 Questionnaire
   * @param options.literal evaluate every expression as written (no shortcut; see ITEMS_OF_LINKID)
   */
  constructor(questionnaire, options = {}) {
    const { fhirpath, r4 } = loadFhirpath();
    this.fhirpath = fhirpath;
    this.model = r4;
    this.literal = !!options.literal;
    this.questionnaire = questionnaire;
    if (!questionnaire || questionnaire.resourceType !== 'Questionnaire') {
      throw new SdcError('the questionnaire is not a Questionnaire resource');
    }
    this.items = []; // every item in document order (depth first)
    this.itemIndex = new Map(); // linkId -> index in items
    this.shortcuts = new Map(); // linkId + path -> environment variable name
    this.shortcutOf = new Map(); // environment variable name -> {linkId, path, run}
    this.addItems(questionnaire.item || [], -1);

    this.variables = [];
    const seen = new Set();
    (questionnaire.extension || []).forEach((ext, k) => {
      const where = `Questionnaire.extension[${k}]`;
      this.checkExtensionUrl(ext, where);
      if (ext.url !== URL_VARIABLE) return;
      const e = expressionOf(ext, where);
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(e.name || '')) throw new SdcError(`${where}: variable name '${e.name}' is not valid`);
      if (seen.has(e.name)) throw new SdcError(`${where}: variable '${e.name}' is defined twice`);
      seen.add(e.name);
      this.variables.push({ name: e.name, text: e.expression, run: this.compile(e.expression, `variable ${e.name}`),
        reads: linkIdsRead(e.expression) });
    });
    this.variableIndex = new Map(this.variables.map((v, i) => [v.name, i]));
    // The earlier variables each one reads (an expression sees only those before it).
    this.variables.forEach((v, i) => {
      v.uses = [...v.text.matchAll(/%([A-Za-z0-9]+)/g)].map((m) => this.variableIndex.get(m[1]))
        .filter((j) => j !== undefined && j < i);
    });

    for (const item of this.items) {
      const where = `item '${item.linkId}'`;
      for (const [k, cond] of item.enableWhen.entries()) {
        const q = this.itemIndex.get(cond.question);
        if (q === undefined) throw new SdcError(`${where}: enableWhen[${k}] names '${cond.question}', which no item has`);
        // One pass in document order decides an item from earlier items only, as Stepcare's
        // `when` may only look back (docs/language.md); a forward condition needs a fixpoint.
        if (q >= item.index) throw new SdcError(`${where}: enableWhen[${k}] names '${cond.question}', which does not come before it`);
        cond.expected = choiceValue(cond, 'answer', `${where} enableWhen[${k}]`);
      }
      if (item.enableWhen.length > 1 && item.enableBehavior !== 'all' && item.enableBehavior !== 'any') {
        throw new SdcError(`${where}: ${item.enableWhen.length} enableWhen need enableBehavior all or any`);
      }
    }

    // The response's items at every depth the questionnaire has, as `repeat(item)` finds them;
    // `combine` keeps fhirpath.js from hashing every item to drop duplicates, which items with
    // distinct linkIds cannot be.
    const depth = Math.max(1, ...this.items.map((i) => this.depthOf(i)));
    const levels = Array.from({ length: depth }, (_, k) => '%resource' + '.item'.repeat(k + 1));
    this.allItems = this.fhirpath.compile(levels.reduce((all, level) => `${all}.combine(${level})`),
      this.model, { resolveInternalTypes: false });
    this.envs = this.variables.map((_, i) => this.makeEnv(i));
    this.envAll = this.makeEnv(this.variables.length);
    this.state = null;
  }

  depthOf(item) {
    let depth = 1;
    for (let p = item.parent; p >= 0; p = this.items[p].parent) depth++;
    return depth;
  }

  checkExtensionUrl(ext, where) {
    if (!KNOWN_EXPRESSION_URLS.has(ext.url) && EXPRESSION_URL_SUSPECT.test(ext.url || '')) {
      throw new SdcError(`${where}: extension ${ext.url} is not one this evaluator knows (${[...KNOWN_EXPRESSION_URLS].join(', ')})`);
    }
  }

  addItems(list, parent) {
    for (const q of list) {
      const index = this.items.length;
      if (typeof q.linkId !== 'string') throw new SdcError(`an item at index ${index} has no linkId`);
      if (this.itemIndex.has(q.linkId)) throw new SdcError(`linkId '${q.linkId}' is used twice`);
      const item = {
        linkId: q.linkId, type: q.type, repeats: !!q.repeats, index, parent, end: index + 1,
        definition: q, enableWhen: (q.enableWhen || []).map((c) => ({ ...c })), enableBehavior: q.enableBehavior,
        enableExpression: null, calculated: null,
      };
      this.items.push(item);
      this.itemIndex.set(q.linkId, index);
      this.addItems(q.item || [], index);
      item.end = this.items.length;
    }
    if (parent === -1) {
      // Expressions are compiled once every linkId is known.
      for (const item of this.items) {
        (item.definition.extension || []).forEach((ext, k) => {
          const where = `item '${item.linkId}' extension[${k}]`;
          this.checkExtensionUrl(ext, where);
          if (ext.url === URL_VARIABLE) throw new SdcError(`${where}: item-level variables are not supported (Stepcare writes root variables only)`);
          if (ext.url === URL_ENABLE_WHEN_EXPRESSION) {
            if (item.enableExpression) throw new SdcError(`${where}: a second enableWhenExpression`);
            if (item.enableWhen.length) throw new SdcError(`${where}: both enableWhen and enableWhenExpression`);
            item.enableExpression = this.compile(expressionOf(ext, where).expression, `item '${item.linkId}' enableWhenExpression`);
          } else if (ext.url === URL_CALCULATED_EXPRESSION) {
            if (item.calculated) throw new SdcError(`${where}: a second calculatedExpression`);
            item.calculated = this.compile(expressionOf(ext, where).expression, `item '${item.linkId}' calculatedExpression`);
          }
        });
      }
    }
  }

  // Compiles a FHIRPath expression once; the result runs it against the current response state.
  compile(text, where) {
    for (const m of text.matchAll(LINKID_LITERAL)) {
      const linkId = unescapeFhirpathString(m[1]);
      if (!this.itemIndex.has(linkId)) throw new SdcError(`${where} names linkId '${linkId}', which no item has: ${text}`);
    }
    let source = text;
    if (!this.literal) {
      source = text.replace(SHORTCUT, (_, quoted, path = '') => {
        const linkId = unescapeFhirpathString(quoted);
        const key = `${linkId}\n${path}`;
        if (!this.shortcuts.has(key)) {
          const name = `_shortcut${this.shortcuts.size}`;
          this.shortcuts.set(key, name);
          this.shortcutOf.set(name, { linkId, path,
            run: path ? this.fhirpath.compile(`%items${path}`, this.model, { resolveInternalTypes: false }) : null });
        }
        return '%' + this.shortcuts.get(key);
      });
    }
    let fn;
    try {
      fn = this.fhirpath.compile(source, this.model, { resolveInternalTypes: false });
    } catch (e) {
      throw new SdcError(`${where}: cannot parse '${text}': ${e.message}`);
    }
    return (env) => {
      try {
        return fn(this.state.response, env);
      } catch (e) {
        if (e instanceof SdcError) throw e;
        throw new SdcError(`${where}: ${e.message} (expression: ${text})`);
      }
    };
  }

  // The environment of an expression: %resource, %rootResource, %questionnaire, the shortcut
  // item lists, and the root variables before `limit` (all of them for items), each computed
  // only when the expression reads it and kept until the response changes.
  makeEnv(limit) {
    const self = this;
    const shortcutName = /^_shortcut\d+$/;
    return new Proxy({}, {
      has(_, name) {
        if (typeof name !== 'string') return false;
        if (name === 'resource' || name === 'rootResource' || name === 'questionnaire') return true;
        if (shortcutName.test(name)) return true;
        const i = self.variableIndex.get(name);
        return i !== undefined && i < limit;
      },
      get(_, name) {
        if (typeof name !== 'string') return undefined;
        if (name === 'resource' || name === 'rootResource') return self.state.response;
        if (name === 'questionnaire') return self.questionnaire;
        if (shortcutName.test(name)) return self.shortcutNodes(name);
        const i = self.variableIndex.get(name);
        return i !== undefined && i < limit ? self.variableValue(i) : undefined;
      },
    });
  }

  variableValue(i) {
    const values = this.state.variables;
    if (values[i] === undefined) values[i] = this.variables[i].run(this.envs[i]);
    return values[i];
  }

  itemNodes(linkId) {
    const state = this.state;
    if (!state.nodes) {
      state.nodes = new Map();
      const from = state.nodesOf && state.nodesOf.nodes;
      if (from) {
        // The response shares its item objects with one evaluated before (a part of it): its
        // nodes are those of that one whose items it still holds.
        for (const [linkId, items] of state.items) {
          const held = new Set(items);
          const nodes = (from.get(linkId) || []).filter((node) => held.has(node.data));
          if (nodes.length) state.nodes.set(linkId, nodes);
        }
      } else {
        for (const node of this.allItems(state.response, { resource: state.response })) {
          const linkId = node.data && node.data.linkId;
          if (!state.nodes.has(linkId)) state.nodes.set(linkId, []);
          state.nodes.get(linkId).push(node);
        }
      }
    }
    return state.nodes.get(linkId) || [];
  }

  shortcutNodes(name) {
    const state = this.state;
    if (!state.paths) state.paths = new Map();
    let nodes = state.paths.get(name);
    if (nodes === undefined) {
      const { linkId, path, run } = this.shortcutOf.get(name);
      const items = this.itemNodes(linkId);
      nodes = path && items.length ? run(state.response, { items }) : path ? [] : items;
      state.paths.set(name, nodes);
    }
    return nodes;
  }

  // The response's items by linkId (under `item` and `answer.item`), checked against the
  // questionnaire's structure: an item sits where its questionnaire item does.
  indexResponse(response) {
    const byLinkId = new Map();
    const visit = (list, parentIndex, where) => {
      if (list === undefined) return;
      if (!Array.isArray(list)) throw new SdcError(`${where} is not an array`);
      list.forEach((ri, k) => {
        const here = `${where}[${k}]`;
        const index = this.itemIndex.get(ri && ri.linkId);
        if (index === undefined) throw new SdcError(`${here}: linkId '${ri && ri.linkId}' is not in the questionnaire`);
        const item = this.items[index];
        if (item.parent !== parentIndex) {
          throw new SdcError(`${here}: '${item.linkId}' is not a child of ${parentIndex < 0 ? 'the root' : `'${this.items[parentIndex].linkId}'`} in the questionnaire`);
        }
        if (!byLinkId.has(item.linkId)) byLinkId.set(item.linkId, []);
        byLinkId.get(item.linkId).push(ri);
        visit(ri.item, index, `${here}.item`);
        (ri.answer || []).forEach((a, j) => visit(a.item, index, `${here}.answer[${j}].item`));
      });
    };
    visit(response.item, -1, 'QuestionnaireResponse.item');
    return byLinkId;
  }

  // `copy`: work on a copy of the response (the walk removes answers from what it works on).
  // `nodesOf`: a state whose response holds the same item objects as this one, or more.
  startState(response, { copy = true, nodesOf = null } = {}) {
    if (!response || response.resourceType !== 'QuestionnaireResponse') {
      throw new SdcError('a response is not a QuestionnaireResponse resource');
    }
    const own = copy ? JSON.parse(JSON.stringify(response)) : response;
    this.state = {
      response: own, items: this.indexResponse(own),
      variables: new Array(this.variables.length), nodes: null, paths: null, nodesOf,
    };
    return this.state;
  }

  // Removes every response item whose linkId is in `linkIds`, wherever it is; true if any was there.
  removeItems(linkIds) {
    const state = this.state;
    let any = false;
    for (const linkId of linkIds) if (state.items.has(linkId)) any = true;
    if (!any) return false;
    const prune = (holder) => {
      if (!Array.isArray(holder.item)) return;
      holder.item = holder.item.filter((ri) => !linkIds.has(ri.linkId));
      if (holder.item.length === 0) delete holder.item;
      for (const ri of holder.item || []) {
        prune(ri);
        for (const a of ri.answer || []) prune(a);
      }
    };
    prune(state.response);
    for (const linkId of linkIds) {
      state.items.delete(linkId);
      if (state.nodes) state.nodes.delete(linkId);
    }
    if (state.paths) {
      for (const name of [...state.paths.keys()]) {
        if (linkIds.has(this.shortcutOf.get(name).linkId)) state.paths.delete(name);
      }
    }
    // Forget the variables that read a removed item, directly or through another variable.
    const stale = new Array(this.variables.length).fill(false);
    this.variables.forEach((v, i) => {
      stale[i] = v.reads === null || [...linkIds].some((l) => v.reads.has(l)) || v.uses.some((j) => stale[j]);
      if (stale[i]) state.variables[i] = undefined;
    });
    return true;
  }

  linkIdsOf(item) {
    const set = new Set();
    for (let i = item.index; i < item.end; i++) set.add(this.items[i].linkId);
    return set;
  }

  answersOf(linkId, where) {
    const out = [];
    for (const ri of this.state.items.get(linkId) || []) {
      (ri.answer || []).forEach((a, k) => out.push(choiceValue(a, 'value', `${where}: answer[${k}] of '${linkId}'`)));
    }
    return out;
  }

  isEnabled(item) {
    const where = `item '${item.linkId}'`;
    if (item.enableExpression) {
      const result = this.fhirpath.resolveInternalTypes(item.enableExpression(this.envAll));
      return result.length === 1 && result[0] === true; // false, empty or anything else disables
    }
    if (item.enableWhen.length === 0) return true;
    const holds = item.enableWhen.map((c, k) =>
      conditionHolds(c.operator, this.answersOf(c.question, `${where} enableWhen[${k}]`), c.expected, `${where} enableWhen[${k}]`));
    return item.enableWhen.length === 1 ? holds[0] : item.enableBehavior === 'all' ? holds.every(Boolean) : holds.some(Boolean);
  }

  /**
   * Walks the items in document order: an item under a disabled one is disabled; otherwise its
   * enableWhen or enableWhenExpression decides, against the response as it stands, with the
   * answers of every disabled item before it removed (R4: a disabled item counts as unanswered)
   * and the variables recomputed. Answers given to calculated items are dropped first: a
   * filler computes them.
   * @param options.copy false: the response may be changed (by removing disabled answers)
   * @returns {enabled: Set of linkIds, response: the response without disabled items' answers,
   *   state: for calculate()}
   */
  walk(response, { copy = true } = {}) {
    this.startState(response, { copy });
    this.removeItems(new Set(this.items.filter((i) => i.calculated).map((i) => i.linkId)));
    const enabled = new Array(this.items.length).fill(false);
    for (const item of this.items) {
      if (item.parent >= 0 && !enabled[item.parent]) continue; // removed with its ancestor
      enabled[item.index] = this.isEnabled(item);
      if (!enabled[item.index]) this.removeItems(this.linkIdsOf(item));
    }
    return {
      enabled: new Set(this.items.filter((i) => enabled[i.index]).map((i) => i.linkId)),
      response: this.state.response, state: this.state,
    };
  }

  /** Everything a filler computes for one response. */
  evaluate(response) {
    const { enabled } = this.walk(response);
    const variables = {};
    this.variables.forEach((v, i) => { variables[v.name] = this.fhirpath.resolveInternalTypes(this.variableValue(i)); });
    const calculated = {};
    for (const item of this.items) {
      if (item.calculated && enabled.has(item.linkId)) {
        calculated[item.linkId] = this.fhirpath.resolveInternalTypes(item.calculated(this.envAll));
      }
    }
    return {
      id: response.identifier && response.identifier.value !== undefined ? response.identifier.value
        : response.id !== undefined ? response.id : null,
      enabled: this.items.filter((i) => enabled.has(i.linkId)).map((i) => i.linkId),
      variables, calculated,
      response: this.state.response,
    };
  }

  /**
   * The calculatedExpression values of `linkIds` over `response` taken as it is (no enablement
   * walk): for a response whose disabled answers are already removed, cut short. Only the
   * variables these expressions read are computed. The response is not changed.
   * @param from the state of walk() when `response` holds only item objects of its response
   */
  calculate(response, linkIds, from = null) {
    if (from && from.response === response) this.state = from; // its variables still hold
    else this.startState(response, { copy: false, nodesOf: from });
    const out = {};
    for (const linkId of linkIds) {
      const item = this.items[this.itemIndex.get(linkId)];
      if (!item || !item.calculated) throw new SdcError(`'${linkId}' is not a calculated item`);
      out[linkId] = this.fhirpath.resolveInternalTypes(item.calculated(this.envAll));
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading files of resources (one resource, an array, a Bundle, or JSON lines)

function readResources(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SdcError(`${file}: cannot read (${e.code || e.message})`);
  }
  const fromValue = (v) => (Array.isArray(v) ? v
    : v && v.resourceType === 'Bundle' ? (v.entry || []).map((e) => e.resource) : [v]);
  try {
    return fromValue(JSON.parse(text));
  } catch (whole) {
    const out = [];
    text.split('\n').forEach((line, k) => {
      if (!line.trim()) return;
      try {
        out.push(...fromValue(JSON.parse(line)));
      } catch (e) {
        throw new SdcError(`${file}:${k + 1}: not JSON (${e.message})`);
      }
    });
    return out;
  }
}

function main(argv) {
  const args = argv.slice(2);
  let literal = false;
  const files = [];
  for (const a of args) {
    if (a === '--literal') literal = true;
    else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`sdc_evaluate.js: unknown option '${a}'\nusage: node sdc_evaluate.js [--literal] QUESTIONNAIRE.json RESPONSES...\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length < 2) {
    process.stderr.write('usage: node sdc_evaluate.js [--literal] QUESTIONNAIRE.json RESPONSES...\n');
    return 2;
  }
  let evaluator;
  let responses;
  try {
    const [q] = readResources(files[0]);
    responses = files.slice(1).flatMap(readResources);
    evaluator = new SdcEvaluator(q, { literal });
  } catch (e) {
    if (!(e instanceof SdcError)) throw e;
    process.stderr.write(`sdc_evaluate.js: ${e.message}\n`);
    return e.message.includes('cannot read') ? 2 : 1;
  }
  const out = [];
  for (const [k, r] of responses.entries()) {
    try {
      const { id, enabled, variables, calculated } = evaluator.evaluate(r);
      out.push(JSON.stringify({ id, enabled, variables, calculated }));
    } catch (e) {
      if (!(e instanceof SdcError)) throw e;
      process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
      process.stderr.write(`sdc_evaluate.js: response ${k + 1}: ${e.message}\n`);
      return 1;
    }
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  return 0;
}

module.exports = { SdcEvaluator, SdcError, readResources, loadFhirpath, conditionHolds, URL_VARIABLE,
  URL_ENABLE_WHEN_EXPRESSION, URL_CALCULATED_EXPRESSION };

if (require.main === module) process.exitCode = main(process.argv);
