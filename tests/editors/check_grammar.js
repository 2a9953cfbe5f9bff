// Checks of the TextMate grammar (editors/textmate/stepcare.tmLanguage.json) that the
// annotated samples cannot make, and of the VS Code extension that uses it:
//
//   grammar      the file is a grammar: valid JSON, every regular expression compiles,
//                every "#include" names a rule of the repository and every rule is used;
//                and the annotated samples in grammar/ assert every scope it gives
//   words        the engine's reserved words (engine/ast/ast.cpp) and functions
//                (engine/check/builtins.hpp) are scoped as such, and no other word is
//   files        each FILE given is read without an "invalid" scope, and every construct
//                it opens is closed by its end
//   vscode       editors/vscode/ declares the language and this very grammar
//
//   node check_grammar.js grammar|words|vscode ROOT
//   node check_grammar.js files ROOT FILE...
//
// ROOT is the repository. Prints one line per check and "N passed, N failed"; exits 1 when
// a check fails, 2 on a usage error.
'use strict';
const fs = require('fs');
const path = require('path');
const childProcess = require('child_process');
const tm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const [what, root, ...files] = process.argv.slice(2);
if (!['grammar', 'words', 'files', 'vscode'].includes(what) || !root || (what === 'files') !== files.length > 0) {
    console.error('usage: node check_grammar.js grammar|words|vscode ROOT\n       node check_grammar.js files ROOT FILE...');
    process.exit(2);
}
const grammarPath = path.join(root, 'editors', 'textmate', 'stepcare.tmLanguage.json');
const scopeName = 'source.stepcare';

let passed = 0;
let failed = 0;
function check(name, problems) {
    if (problems.length === 0) {
        passed++;
        console.log(`ok   ${name}`);
    } else {
        failed++;
        console.log(`FAIL ${name}`);
        for (const problem of problems) console.log(`     ${problem}`);
    }
}

const onigLib = (async () => {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer);
    return {
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text) => new oniguruma.OnigString(text),
    };
})();

async function loadGrammar() {
    const registry = new tm.Registry({
        onigLib,
        loadGrammar: async (scope) =>
            scope === scopeName ? tm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    return registry.loadGrammar(scopeName);
}

// The tokens of each line of `text`, and whether the last line leaves a construct open.
function tokenize(grammar, text) {
    let stack = tm.INITIAL;
    const lines = text.split(/\r?\n/).map((line) => {
        const result = grammar.tokenizeLine(line, stack);
        stack = result.ruleStack;
        return { line, tokens: result.tokens };
    });
    // The state after an empty first line is the grammar's top level.
    return { lines, closed: stack.equals(grammar.tokenizeLine('', tm.INITIAL).ruleStack) };
}

// The scopes of the first token that covers column `column` of a one-line text.
function scopesAt(grammar, line, column) {
    const token = tokenize(grammar, line).lines[0].tokens.find((t) => t.startIndex <= column && column < t.endIndex);
    return token ? token.scopes : [];
}

async function checkGrammarFile() {
    await onigLib;
    const problems = [];
    let grammar;
    try {
        grammar = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
    } catch (error) {
        check('the grammar is valid JSON', [error.message]);
        return;
    }
    if (grammar.scopeName !== scopeName) problems.push(`scopeName is ${grammar.scopeName}, not ${scopeName}`);
    if (!(grammar.fileTypes || []).includes('sq')) problems.push('fileTypes does not list sq');
    const repository = grammar.repository || {};
    const used = new Set();
    const regexes = [];
    (function walk(node, where) {
        if (Array.isArray(node)) {
            node.forEach((item, i) => walk(item, `${where}[${i}]`));
            return;
        }
        if (node === null || typeof node !== 'object') return;
        for (const [key, value] of Object.entries(node)) {
            if (key === 'include' && typeof value === 'string') {
                if (value.startsWith('#')) {
                    used.add(value.slice(1));
                    if (!(value.slice(1) in repository)) problems.push(`${where}: include ${value} names no rule of the repository`);
                } else if (value !== '$self' && value !== '$base') {
                    problems.push(`${where}: include ${value} names another grammar`);
                }
            } else if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') {
                regexes.push({ where: `${where}.${key}`, value });
            } else {
                walk(value, `${where}.${key}`);
            }
        }
    })(grammar, 'grammar');
    for (const name of Object.keys(repository)) {
        if (!used.has(name)) problems.push(`repository rule "${name}" is never included`);
    }
    for (const { where, value } of regexes) {
        try {
            new oniguruma.OnigScanner([value]).dispose();
        } catch (error) {
            problems.push(`${where}: ${error.message}`);
        }
    }
    check(`the grammar is valid JSON, its ${regexes.length} regular expressions compile, every include is a rule and every rule is used`, problems);

    // Every scope the grammar gives is asserted somewhere in the annotated samples.
    const given = new Set();
    (function names(node) {
        if (Array.isArray(node)) node.forEach(names);
        else if (node !== null && typeof node === 'object') {
            for (const [key, value] of Object.entries(node)) {
                if ((key === 'name' || key === 'contentName') && typeof value === 'string') value.split(' ').forEach((s) => given.add(s));
                else names(value);
            }
        }
    })([grammar.patterns, repository]);
    const asserted = new Set();
    const samples = path.join(__dirname, 'grammar');
    for (const file of fs.readdirSync(samples).filter((f) => f.endsWith('.sq'))) {
        for (const line of fs.readFileSync(path.join(samples, file), 'utf8').split('\n')) {
            if (/^#\s*(\^|<-)/.test(line)) for (const scope of line.match(/[a-z][-a-z.]*\.stepcare/g) || []) asserted.add(scope);
        }
    }
    check('every scope of the grammar is asserted by an annotated sample in grammar/',
        [...given].filter((s) => !asserted.has(s)).map((s) => `${s} is never asserted`));
}

// The engine's lists, read from its sources so that a new keyword or function shows here.
function engineWords() {
    const ast = fs.readFileSync(path.join(root, 'engine', 'ast', 'ast.cpp'), 'utf8');
    const list = /reserved_words\(\)\s*\{[^}]*?words\s*=\s*\{([^}]*)\}/.exec(ast);
    const reserved = list ? [...list[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]) : [];
    const builtins = fs.readFileSync(path.join(root, 'engine', 'check', 'builtins.hpp'), 'utf8');
    const functions = [...builtins.matchAll(/\{builtin::([a-z_]+), "([a-z_]+)"/g)].map((m) => m[2]);
    return { reserved, functions };
}

async function checkWords(grammar) {
    const { reserved, functions } = engineWords();
    check(`the engine's lists were read (${reserved.length} reserved words, ${functions.length} functions)`, [
        ...(reserved.length < 40 ? ['engine/ast/ast.cpp: the list of reserved_words() was not found'] : []),
        ...(functions.length < 8 ? ['engine/check/builtins.hpp: the table of builtins was not found'] : []),
    ]);
    const problems = [];
    const nameScope = 'entity.name.variable.question.stepcare';
    // Words that are not reserved: function names, 'max' and words that contain a keyword.
    const plain = [...functions, 'max', 'notes', 'b0_when_x', 'texts', 'unknown', 'other'];
    for (const word of [...reserved, ...plain]) {
        const isReserved = reserved.includes(word);
        // As a name being defined: a reserved word is a mistake, any other word a name.
        const declared = scopesAt(grammar, `question ${word}: yesno`, 'question '.length);
        if (isReserved && !declared.includes('invalid.illegal.reserved-word.stepcare')) {
            problems.push(`"question ${word}:" does not mark the reserved word ${word} (scopes: ${declared.join(' ')})`);
        }
        if (!isReserved && !declared.includes(nameScope)) {
            problems.push(`"question ${word}:" does not scope ${word} as a question's name (scopes: ${declared.join(' ')})`);
        }
        // In an expression: a reserved word is never a plain name or a language tag.
        const used = scopesAt(grammar, `let x = a == ${word}`, 'let x = a == '.length);
        const asName = used.includes('variable.other.stepcare') || used.includes('entity.name.tag.language.stepcare');
        if (isReserved && asName) problems.push(`the reserved word ${word} is scoped as a name: ${used.join(' ')}`);
        if (!isReserved && !used.includes('variable.other.stepcare')) {
            problems.push(`${word}, not reserved, is not scoped as a name: ${used.join(' ')}`);
        }
    }
    // The keyword rules list exactly the reserved words.
    const rules = JSON.parse(fs.readFileSync(grammarPath, 'utf8')).repository;
    const listed = [...rules.keyword.patterns, ...rules['question-type'].patterns]
        .map((p) => /^\\b(?:\(\?:)?([a-z_|]+)\)?\\b$/.exec(p.match || ''))
        .filter(Boolean)
        .flatMap((m) => m[1].split('|'));
    for (const word of listed) if (!reserved.includes(word)) problems.push(`the grammar's keyword rules list ${word}, which the engine does not reserve`);
    for (const word of reserved) if (!listed.includes(word)) problems.push(`the grammar's keyword rules do not list the reserved word ${word}`);
    check('every reserved word of the engine is a keyword, and no other word is', problems);

    const calls = [];
    for (const name of functions) {
        const scopes = scopesAt(grammar, `let x = ${name}(a)`, 'let x = '.length);
        if (!scopes.includes('support.function.builtin.stepcare')) calls.push(`${name}(a) is not scoped as a function: ${scopes.join(' ')}`);
    }
    const unknown = scopesAt(grammar, 'let x = median(a)', 'let x = '.length);
    if (unknown.includes('support.function.builtin.stepcare')) calls.push('median(a), not a function of the engine, is scoped as one');
    check("every function of the engine is scoped as a function when called, and no other name", calls);
}

async function checkFiles(grammar) {
    for (const file of files) {
        const problems = [];
        const { lines, closed } = tokenize(grammar, fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
        lines.forEach(({ line, tokens }, i) => {
            for (const token of tokens) {
                const invalid = token.scopes.find((s) => s.startsWith('invalid.'));
                if (invalid && problems.length < 10) {
                    problems.push(`line ${i + 1}, column ${token.startIndex + 1}: ${invalid} on ${JSON.stringify(line.slice(token.startIndex, token.endIndex))}`);
                }
            }
        });
        if (!closed) problems.push('a construct is still open at the end of the file');
        check(`${path.relative(root, path.resolve(file))}: no invalid scope, nothing left open`, problems);
    }
}

function checkVscode() {
    const folder = path.join(root, 'editors', 'vscode');
    const problems = [];
    let manifest = {};
    try {
        manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    } catch (error) {
        problems.push(`package.json: ${error.message}`);
    }
    const contributes = manifest.contributes || {};
    const language = (contributes.languages || []).find((l) => l.id === 'stepcare');
    if (!language) {
        problems.push('package.json contributes no language with the id stepcare');
    } else {
        if (!(language.extensions || []).includes('.sq')) problems.push('the language stepcare does not claim .sq files');
        try {
            const configuration = JSON.parse(fs.readFileSync(path.join(folder, language.configuration || ''), 'utf8'));
            if ((configuration.comments || {}).lineComment !== '#') problems.push('the language configuration does not make # the line comment');
            const rules = configuration.indentationRules || {};
            for (const key of ['increaseIndentPattern', 'decreaseIndentPattern']) {
                if (typeof rules[key] !== 'string') problems.push(`indentationRules.${key} is missing`);
                else new RegExp(rules[key]);
            }
        } catch (error) {
            problems.push(`the language configuration ${language.configuration}: ${error.message}`);
        }
    }
    const grammar = (contributes.grammars || []).find((g) => g.language === 'stepcare');
    if (!grammar || grammar.scopeName !== scopeName) {
        problems.push(`package.json contributes no grammar of ${scopeName} for the language stepcare`);
    } else {
        // The grammar lives in editors/textmate/; the extension packs its own copy.
        const copy = path.join(folder, grammar.path);
        if (!fs.existsSync(copy) || !fs.readFileSync(copy).equals(fs.readFileSync(grammarPath))) {
            problems.push(`editors/vscode/${path.normalize(grammar.path)} differs from editors/textmate/stepcare.tmLanguage.json; copy the latter over it`);
        }
    }
    const properties = (contributes.configuration || {}).properties || {};
    if ((properties['stepcare.path'] || {}).default !== 'stepcare') problems.push('the setting stepcare.path with the default "stepcare" is missing');
    if (!properties['stepcare.trace.server']) problems.push('the setting stepcare.trace.server is missing');
    const dependency = (manifest.dependencies || {})['vscode-languageclient'];
    if (!/^\d+\.\d+\.\d+$/.test(dependency || '')) problems.push(`vscode-languageclient is not pinned to one version (${dependency})`);
    try {
        const lock = JSON.parse(fs.readFileSync(path.join(folder, 'package-lock.json'), 'utf8'));
        const locked = (lock.packages || {})['node_modules/vscode-languageclient'] || {};
        if (locked.version !== dependency) problems.push(`package-lock.json has vscode-languageclient ${locked.version}, package.json ${dependency}`);
    } catch (error) {
        problems.push(`package-lock.json: ${error.message}`);
    }
    const main = path.join(folder, manifest.main || 'missing');
    const syntax = childProcess.spawnSync(process.execPath, ['--check', main], { encoding: 'utf8' });
    if (syntax.status !== 0) problems.push(`node --check ${manifest.main}: ${syntax.stderr.trim()}`);
    else if (!/args:\s*\['lsp'\]/.test(fs.readFileSync(main, 'utf8'))) problems.push(`${manifest.main} does not start the program with the argument lsp`);
    check('the VS Code extension declares the language, this grammar, its settings and a pinned language client', problems);
}

(async () => {
    if (what === 'grammar') await checkGrammarFile();
    if (what === 'vscode') checkVscode();
    if (what === 'words' || what === 'files') {
        const grammar = await loadGrammar();
        if (what === 'words') await checkWords(grammar);
        else await checkFiles(grammar);
    }
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
})().catch((error) => {
    console.error(error);
    process.exit(1);
});
