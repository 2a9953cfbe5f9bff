#!/usr/bin/env node
// The web intake of `stepcare serve` in a real browser: Debian's Chromium, driven by puppeteer-core
// with the keyboard alone (Tab, Shift+Tab, arrows, Space, typing, Enter; no mouse, no page.click).
//
//   node browser_test.js STEPCARE [QUESTIONNAIRE.sq]
//   STEPCARE_SCREENSHOTS=1 node browser_test.js STEPCARE   # also rewrites docs/images/serve-*.png
//   CHROMIUM=/path/to/chrome node browser_test.js STEPCARE # another browser (default /usr/bin/chromium)
//
// It starts the server itself (a fresh --data folder, port 0, --rate-limit 1000) and stops it with
// SIGTERM at the end. In English and in Spanish, from the start page, it takes `ketamine_trd` along
// four paths (crisis, under 18, treatment-resistant, first-line) and compares the outcome titles of
// each results page with `stepcare eval` on the answers it gave; on the way it goes back, skips,
// saves and resumes in a new browser context without cookies, sends invalid answers, switches
// language, meets a stale form (409) and an unknown intake (404). Every kind of page is checked with
// axe-core (WCAG 2.1 A and AA rules), for sideways scrolling at 320 and 640 CSS pixels (640 is 1280
// at 200% zoom), and for a visible focus outline on everything Tab reaches.
//
// Prints one line per check and "N passed, N failed" last; exits 1 when any check failed.
'use strict';

const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const STEPCARE = process.argv[2];
const QUESTIONNAIRE = path.resolve(process.argv[3] || path.join(__dirname, '../../../questionnaires/ketamine-trd.sq'));
const QUESTIONNAIRE_ID = 'ketamine_trd';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = process.env.STEPCARE_SCREENSHOTS === '1';
const IMAGES = path.resolve(__dirname, '../../../docs/images');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = {width: 1280, height: 900, deviceScaleFactor: 1};
// 320 CSS px is WCAG 1.4.10's reflow width; 1280 px at 200% zoom lays out as 640 CSS px.
const REFLOW_WIDTHS = [320, 640];
const STEP_TIMEOUT_MS = 20000;
const WHOLE_RUN_LIMIT_MS = 280000;
const SKIP = Symbol('skip');

if (!STEPCARE) {
    console.error('usage: node browser_test.js STEPCARE [QUESTIONNAIRE.sq]');
    process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Checks

let passed = 0;
let failed = 0;

function check(name, ok, detail) {
    if (ok) {
        passed++;
        console.log(`ok   ${name}`);
    } else {
        failed++;
        console.log(`FAIL ${name}`);
        if (detail) console.log(String(detail).replace(/^/gm, '       '));
    }
    return ok;
}

const normalize = (text) =>
    String(text ?? '')
        .replace(/\s+/g, ' ')
        .trim();
const sameList = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1) + ' s';

// ---------------------------------------------------------------------------------------------
// The stepcare program: the server, eval and export

function runStepcare(args, input) {
    return new Promise((resolve, reject) => {
        const child = spawn(STEPCARE, args, {stdio: ['pipe', 'pipe', 'pipe']});
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({code, stdout, stderr}));
        child.stdin.end(input ?? '');
    });
}

// `stepcare eval` of one record, in the language of the results page.
async function evaluate(answers, language) {
    const record = JSON.stringify({id: 'browser', answers}) + '\n';
    const run = await runStepcare(['eval', '--lang', language, QUESTIONNAIRE], record);
    if (run.code !== 0) throw new Error(`stepcare eval exited with ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout.split('\n')[0]);
}

// Every question of the questionnaire by its text in `language`, from its FHIR export: the page
// shows a question's text, never its id.
async function questionsByText(language) {
    const run = await runStepcare(['export', '--format', 'fhir-r4', '--lang', language, QUESTIONNAIRE]);
    if (run.code !== 0) throw new Error(`stepcare export exited with ${run.code}: ${run.stderr}`);
    const byText = new Map();
    const walk = (items) => {
        for (const item of items || []) {
            if (!['group', 'display'].includes(item.type) && !item.linkId.startsWith('let.')) {
                byText.set(normalize(item.text), {id: item.linkId, required: item.required === true});
            }
            walk(item.item);
        }
    };
    walk(JSON.parse(run.stdout).item);
    return byText;
}

class Server {
    async start() {
        this.data = fs.mkdtempSync(path.join(os.tmpdir(), 'stepcare-browser-'));
        this.stderr = '';
        this.process = spawn(
            STEPCARE,
            ['serve', '--listen', '127.0.0.1:0', '--data', this.data, '--rate-limit', '1000'],
            {
                stdio: ['ignore', 'pipe', 'pipe'],
            },
        );
        this.process.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-20000)));
        this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({code, signal})));
        const line = await new Promise((resolve, reject) => {
            let out = '';
            const timer = setTimeout(() => reject(new Error('the server printed no first line within 10 s')), 10000);
            this.process.stdout.on('data', (d) => {
                out += d;
                if (out.includes('\n')) {
                    clearTimeout(timer);
                    resolve(out.split('\n')[0]);
                }
            });
            this.process.on('exit', (code) => reject(new Error(`the server exited (${code}): ${this.stderr}`)));
        });
        const match = /^stepcare: serving (\d+) questionnaires? at (http:\/\/[^/\s]+)\/ /.exec(line);
        if (!match) throw new Error(`unexpected first line from the server: ${line}`);
        this.base = match[2];
        this.process.stdout.resume();
        return line;
    }

    async stop() {
        if (!this.process) return null;
        if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGTERM');
        const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 15000));
        const result = await Promise.race([this.exited, timeout]);
        if (result === null) this.process.kill('SIGKILL');
        fs.rmSync(this.data, {recursive: true, force: true});
        return result;
    }
}

// ---------------------------------------------------------------------------------------------
// The browser: tabs, the keyboard, and what a page shows

let browser;
let server;
let questions; // language -> Map(text -> {id, required})

// A tab whose Content-Security-Policy reports and failed requests are collected, so that a
// page that only works because something was allowed shows up.
async function newTab(context) {
    const page = await context.newPage();
    await page.setViewport(DESKTOP);
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.problems = [];
    page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) page.problems.push(`CSP: ${message.text()}`);
    });
    page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
        const url = new URL(response.url());
        // Chromium asks for /favicon.ico by itself; the server has none (a 404 that nobody sees).
        if (
            response.request().resourceType() !== 'document' &&
            response.status() >= 400 &&
            url.pathname !== '/favicon.ico'
        ) {
            page.problems.push(`${response.status()} for ${response.url()}`);
        }
    });
    return page;
}

async function shiftTab(page) {
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
}

// Presses Tab (or Shift+Tab) until the focused element matches `selector`; the number of presses.
async function tabTo(page, selector, {backwards = false, max = 80} = {}) {
    for (let i = 1; i <= max; i++) {
        if (backwards) await shiftTab(page);
        else await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    }
    throw new Error(`${max} presses of ${backwards ? 'Shift+' : ''}Tab never reached ${selector} on ${page.url()}`);
}

const focused = (page) =>
    page.evaluate(() => {
        const e = document.activeElement;
        return {
            tag: e.tagName.toLowerCase(),
            type: e.type || '',
            id: e.id,
            text: normalize(e.textContent),
            value: e.value,
        };
        function normalize(t) {
            return (t || '').replace(/\s+/g, ' ').trim();
        }
    });

// Presses `key` and waits for the page it loads; the response of that page.
async function pressAndLoad(page, key = 'Enter') {
    const [response] = await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.keyboard.press(key)]);
    return response;
}

// Opens an address as a person types it into the address bar.
async function open(page, url) {
    return page.goto(url, {waitUntil: 'load'});
}

// What the page shows, read from its DOM.
async function readPage(page) {
    // The browser applies `autofocus` a moment after the page loads: give an error summary
    // that moment (2 s at most) before the page is read.
    await page
        .waitForFunction(
            () => {
                const summary = document.querySelector('.error-summary');
                return !summary || summary.contains(document.activeElement);
            },
            {timeout: 2000},
        )
        .catch(() => {});
    return page.evaluate(() => {
        const text = (e) => (e ? e.textContent.replace(/\s+/g, ' ').trim() : null);
        const main = document.querySelector('main');
        const first = main?.firstElementChild;
        const questionElement = main?.querySelector('.question');
        const summary = main?.querySelector('.error-summary');
        const outcomeTitles = [...(main?.querySelectorAll('.outcome h3') || [])].map((h) => {
            const copy = h.cloneNode(true);
            copy.querySelectorAll('.label').forEach((l) => l.remove());
            return text(copy);
        });
        return {
            url: location.href,
            lang: document.documentElement.lang,
            title: document.title,
            h1: text(main?.querySelector('h1')),
            question: text(questionElement),
            inputs: [...(main?.querySelectorAll('[name=answer]') || [])].map((i) => ({
                type: i.type,
                id: i.id,
                value: i.value,
                checked: i.checked,
                invalid: i.getAttribute('aria-invalid'),
                describedBy: i.getAttribute('aria-describedby'),
            })),
            buttons: [...(main?.querySelectorAll('button') || [])].map((b) => ({
                text: text(b),
                action: b.getAttribute('formaction') || b.form?.getAttribute('action') || '',
            })),
            languageButtons: [...document.querySelectorAll('nav.languages button')].map((b) => ({
                lang: b.lang,
                text: text(b),
            })),
            first: first
                ? {tag: first.tagName.toLowerCase(), className: first.className, role: first.getAttribute('role')}
                : null,
            urgent: main?.querySelector('section.urgent') ? text(main.querySelector('section.urgent')) : null,
            summary: summary
                ? {
                      role: summary.getAttribute('role'),
                      focused: summary.contains(document.activeElement),
                      isFirst:
                          summary === first ||
                          (first?.matches('section.urgent') && first.nextElementSibling === summary),
                      links: [...summary.querySelectorAll('a')].map((a) => {
                          const target = document.getElementById(a.hash.slice(1));
                          return {text: text(a), hash: a.hash, target: target ? target.getAttribute('name') : null};
                      }),
                  }
                : null,
            errorMessage: text(main?.querySelector('.error-message')),
            outcomeTitles,
            referralTitle: text(main?.querySelector('#referral-title')),
            mainText: text(main),
            links: [...(main?.querySelectorAll('a') || [])].map((a) => ({text: text(a), href: a.href})),
            forms: main ? main.querySelectorAll('form').length : 0,
        };
    });
}

// ---------------------------------------------------------------------------------------------
// Every kind of page: axe-core, reflow, focus, screenshots

// The kinds of page that `inspect` must have seen, each in English and in Spanish.
const PAGE_KINDS = [
    'home',
    'question, yes/no',
    'question, one answer',
    'question, several answers',
    'question, whole number',
    'question with an error, yes/no',
    'question with an error, whole number',
    'question after an urgent answer',
    'crisis: stopped results with the urgent section',
    'print page, stopped',
    'results, finished',
    'print page',
    'saved page',
    'error page, 404 unknown intake',
    'error page, 409 stale form',
];
const inspected = new Set();

async function axeViolations(page) {
    // axe goes in through the DevTools protocol (Runtime.evaluate), which the page's
    // Content-Security-Policy does not govern. page.addScriptTag({path}) inlines the file into a
    // <script> element, which the policy (default-src 'none', no 'unsafe-inline') blocks, and
    // page.setBypassCSP(true) would need the page loaded again with the policy off: impossible for
    // the pages that answer a POST (an error summary, the saved page, a 409) and it would check a
    // page other than the one people get. This way every page is checked as served, policy on.
    await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (tags) => {
        const result = await window.axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        });
        return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
        }));
    }, AXE_TAGS);
}

function describeViolations(violations) {
    return violations
        .map(
            (v) =>
                `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
                v.nodes
                    .map((n) => `  - ${n.target}\n    ${n.html}\n    ${(n.summary || '').replace(/\n/g, '\n    ')}`)
                    .join('\n'),
        )
        .join('\n');
}

// A full-page PNG in docs/images; pngquant, where installed, makes it a third of the size.
async function screenshot(page, name, width) {
    await page.setViewport({width, height: 800, deviceScaleFactor: 1});
    fs.mkdirSync(IMAGES, {recursive: true});
    const file = path.join(IMAGES, name);
    await page.screenshot({path: file, fullPage: true});
    await page.setViewport(DESKTOP);
    await new Promise((resolve) => {
        const quant = spawn(
            'pngquant',
            ['--force', '--skip-if-larger', '--strip', '--quality', '70-95', '--output', file, file],
            {stdio: 'ignore'},
        );
        quant.on('error', resolve); // not installed: the PNG as Chromium wrote it
        quant.on('close', resolve);
    });
}

// Tabs through the whole page from the top: the skip link comes first and shows itself, and
// everything Tab reaches has a visible outline.
async function checkFocus(page, name) {
    await tabTo(page, 'a.skip-link');
    const skip = await page.evaluate(() => {
        const e = document.activeElement;
        const box = e.getBoundingClientRect();
        return {isSkipLink: e.matches('a.skip-link[href="#main"]'), visible: box.top >= 0 && box.bottom <= innerHeight};
    });
    check(`${name}: the skip link shows when focused`, skip.isSkipLink && skip.visible, JSON.stringify(skip));
    const missing = [];
    let stops = 0;
    for (let i = 0; i < 100; i++) {
        const f = await page.evaluate(() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {
                isBody: e === document.body || e === document.documentElement,
                what: e.outerHTML.slice(0, 90),
                outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
                skipLink: e.matches('a.skip-link'),
            };
        });
        if (f.isBody || (i > 0 && f.skipLink)) break;
        stops++;
        if (f.outline === 'none' || !(f.width > 0)) missing.push(`${f.what} (outline ${f.outline} ${f.width}px)`);
        await page.keyboard.press('Tab');
    }
    check(
        `${name}: Tab reaches ${stops} elements, each with a visible focus outline`,
        stops > 0 && missing.length === 0,
        missing.join('\n'),
    );
}

// The checks of one kind of page. `shots`: [file name, width] pairs, written with STEPCARE_SCREENSHOTS=1.
async function inspect(page, name, shots = []) {
    inspected.add(name);
    check(
        `${name}: nothing refused by the Content-Security-Policy, no failed request`,
        page.problems.length === 0,
        page.problems.join('\n'),
    );
    page.problems.length = 0;
    if (SCREENSHOTS) {
        for (const [file, width] of shots) await screenshot(page, file, width);
    }
    const violations = await axeViolations(page);
    check(`${name}: axe-core WCAG 2.1 AA, 0 violations`, violations.length === 0, describeViolations(violations));
    for (const width of REFLOW_WIDTHS) {
        await page.setViewport({width, height: 800, deviceScaleFactor: 1});
        const m = await page.evaluate(() => {
            const wide = [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .slice(0, 5)
                .map((e) => e.outerHTML.slice(0, 120));
            return {
                scrollWidth: document.documentElement.scrollWidth,
                bodyScrollWidth: document.body.scrollWidth,
                wide,
            };
        });
        check(
            `${name}: no sideways scrolling at ${width} CSS px (scrollWidth ${m.scrollWidth})`,
            m.scrollWidth <= width && m.bodyScrollWidth <= width,
            `too wide: ${m.wide.join('\n')}`,
        );
    }
    await page.setViewport(DESKTOP);
    await checkFocus(page, name);
}

// ---------------------------------------------------------------------------------------------
// Answering with the keyboard

function questionOf(state) {
    const q = questions[state.lang]?.get(state.question);
    if (!q) throw new Error(`a question the export does not have (${state.lang}): "${state.question}"`);
    return q;
}

// Puts `value` into the question's field with the keyboard, without sending it.
async function fill(page, value) {
    const state = await readPage(page);
    const type = state.inputs[0]?.type;
    // The form's values: "yes"/"no" for a yes/no question, option ids, or the text typed.
    const wanted = value === true ? 'yes' : value === false ? 'no' : value;
    if (type === 'radio') {
        const values = state.inputs.map((i) => i.value);
        const target = values.indexOf(wanted);
        if (target < 0) throw new Error(`no option ${wanted} among ${values}`);
        await tabTo(page, 'main input[type=radio][name=answer]');
        // Tab enters a radio group at its checked radio, or at its first when none is.
        let at = values.indexOf((await focused(page)).value);
        const checkedAt = state.inputs.findIndex((i) => i.checked);
        if (at !== (checkedAt >= 0 ? checkedAt : 0))
            throw new Error(`Tab entered the radios at ${at}, not at ${checkedAt}`);
        // Arrow keys move through the group and choose as they go; Space chooses the first.
        for (; at < target; at++) await page.keyboard.press('ArrowDown');
        for (; at > target; at--) await page.keyboard.press('ArrowUp');
        await page.keyboard.press('Space');
    } else if (type === 'checkbox') {
        await tabTo(page, 'main input[type=checkbox][name=answer]');
        for (let i = 0; i < state.inputs.length; i++) {
            const now = await focused(page);
            if (now.id !== state.inputs[i].id) throw new Error(`Tab went to ${now.id}, not to ${state.inputs[i].id}`);
            if (state.inputs[i].checked !== value.includes(state.inputs[i].value)) await page.keyboard.press('Space');
            if (i + 1 < state.inputs.length) await page.keyboard.press('Tab');
        }
    } else if (type === 'text' || type === 'textarea') {
        await tabTo(page, 'main #answer');
        await page.keyboard.down('Control');
        await page.keyboard.press('a');
        await page.keyboard.up('Control');
        await page.keyboard.press('Backspace');
        await page.keyboard.type(String(value));
    } else {
        throw new Error(`no answer field on ${state.url}`);
    }
    const now = (await readPage(page)).inputs;
    const got =
        type === 'checkbox'
            ? now.filter((i) => i.checked).map((i) => i.value)
            : type === 'radio'
              ? now.find((i) => i.checked)?.value
              : now[0].value;
    const want =
        type === 'checkbox'
            ? state.inputs.map((i) => i.value).filter((v) => value.includes(v))
            : type === 'radio'
              ? wanted
              : String(value);
    if (JSON.stringify(got) !== JSON.stringify(want))
        throw new Error(`the field holds ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
    return type;
}

// Sends the form: Enter in a text field; from a radio or checkbox, Tab to Continue (the next
// stop after the answers) and Enter.
async function submit(page, type) {
    if (type === 'radio' || type === 'checkbox') {
        await page.keyboard.press('Tab');
        const next = await page.evaluate(() => document.activeElement.matches('main button.primary'));
        if (!next)
            throw new Error(`Tab after the answers went to ${JSON.stringify(await focused(page))}, not to Continue`);
    }
    return pressAndLoad(page, 'Enter');
}

async function pressButton(page, action) {
    await tabTo(page, `main button[formaction$="/${action}"], main form[action$="/${action}"] button`);
    return pressAndLoad(page, 'Enter');
}

async function followLink(page, hrefEnd) {
    await tabTo(page, `main a[href$="${hrefEnd}"]`);
    return pressAndLoad(page, 'Enter');
}

// Answers questions from `plan` (question id -> value, or SKIP) until the intake ends. `hooks`
// (question id -> async function) run when their question is shown, before it is answered, once;
// a hook returns 'again' when it moved the intake on, 'stop' to end the run there.
async function answerAll(page, plan, answers, hooks, record) {
    for (let step = 0; step < 100; step++) {
        const state = await readPage(page);
        if (state.question === null) return state;
        const q = questionOf(state);
        record.shown.push(q.id);
        const hasSkip = state.buttons.some((b) => b.action.endsWith('/skip'));
        if (hasSkip !== !q.required)
            record.problems.push(
                `${q.id}: Skip ${hasSkip ? 'shown' : 'missing'}, the question is ${q.required ? 'required' : 'optional'}`,
            );
        const hasBack = state.buttons.some((b) => b.action.endsWith('/back'));
        if (hasBack !== (q.id !== 'in_danger_now'))
            record.problems.push(`${q.id}: Back ${hasBack ? 'shown on the first question' : 'missing'}`);
        if (hooks[q.id]) {
            const hook = hooks[q.id];
            delete hooks[q.id];
            const next = await hook(state);
            if (next === 'stop') return null; // the hook may have closed the page
            if (next === 'again') continue;
        }
        if (!(q.id in plan)) throw new Error(`no answer planned for ${q.id}`);
        let response;
        if (plan[q.id] === SKIP) {
            response = await pressButton(page, 'skip');
            delete answers[q.id];
            record.skipped.push(q.id);
        } else {
            const type = await fill(page, plan[q.id]);
            response = await submit(page, type);
            answers[q.id] = plan[q.id];
        }
        if (response.status() !== 200) {
            const after = await readPage(page);
            throw new Error(`answering ${q.id} gave ${response.status()}: ${after.errorMessage || after.h1}`);
        }
    }
    throw new Error('the intake did not end within 100 questions');
}

// ---------------------------------------------------------------------------------------------
// The paths

const TEXTS = {
    en: {
        continue: 'Continue',
        results: 'Your results',
        stopped: 'Intake stopped',
        saved: 'Your answers are saved',
        stale: 'This page is out of date',
        notFound: 'Page not found',
        summary: 'There is a problem',
    },
    es: {
        continue: 'Continuar',
        results: 'Sus resultados',
        stopped: 'Cuestionario detenido',
        saved: 'Sus respuestas están guardadas',
        stale: 'Esta página no está actualizada',
        notFound: 'Página no encontrada',
        summary: 'Hay un problema',
    },
};

const ADULT = {
    in_danger_now: false,
    age: 45,
    country: 'us',
    pregnancy: ['none'],
    mood1: 'more_than_half',
    mood2: 'more_than_half',
    mood3: 'nearly_every_day',
    mood4: 'more_than_half',
    mood5: 'several_days',
    mood6: 'more_than_half',
    mood7: 'more_than_half',
    mood8: 'several_days',
    mood9: 'not_at_all',
    daily_life_impact: 'very',
    episode_length: 'six_to_12_months',
    diagnosed: 'yes',
    wish_dead: false,
    better_off: false,
    suicidal_thoughts: false,
    past_attempt: false,
    earlier_treatment: 'no',
    other_treatments: ['none'],
    vascular: ['none'],
    blood_pressure: 'normal',
    bp_systolic: SKIP,
    heart: ['none'],
    head_injury: 'no',
    seizures: 'no',
    liver: 'no',
    bladder: 'no',
    glaucoma: 'no',
    lung: 'no',
    psych_history: ['none'],
    psychosis_now: 'no',
    alcohol_problem: 'no',
    drug_use: 'no',
    ketamine_nonmedical: 'never',
    substance_treatment: 'no',
    interacting_meds: ['none'],
    sessions_possible: 'yes',
    transport: 'yes',
    discuss_topics: ['talking_therapy', 'ketamine'],
    has_clinician: 'yes',
};

// Treatment-resistant: three medicines tried, two full trials without enough improvement.
const TREATMENT_RESISTANT = {
    ...ADULT,
    on_antidepressant: 'yes',
    antidepressants_tried: 3,
    adequate_failed: 2,
    trials_unsure: 1,
    psychotherapy: 'yes_past',
    therapy_sessions: 'eight_or_more',
    therapy_helped: 'somewhat_not_enough',
};

// First-line: symptoms and no treatment tried yet.
const FIRST_LINE = {
    ...ADULT,
    country: 'mx',
    on_antidepressant: 'no',
    antidepressants_tried: 0,
    psychotherapy: 'never',
    discuss_topics: SKIP,
};

// Starts an intake of ketamine_trd from the start page: Tab to its language list, arrows to
// the language, Tab to its Start button, Enter.
async function startIntake(page, language, {inspectHome = false} = {}) {
    const response = await open(page, server.base + '/');
    if (response.status() !== 200) throw new Error(`GET / gave ${response.status()}`);
    if (inspectHome) await inspect(page, 'home (en)', [['serve-home-1280.png', 1280]]);
    const ids = await page.evaluate((id) => {
        const form = document.querySelector(`form input[name=questionnaire][value="${id}"]`).form;
        return {
            select: form.querySelector('select').id,
            options: [...form.querySelector('select').options].map((o) => o.value),
        };
    }, QUESTIONNAIRE_ID);
    await tabTo(page, `#${ids.select}`);
    const at = ids.options.indexOf((await focused(page)).value);
    const target = ids.options.indexOf(language);
    for (let i = at; i < target; i++) await page.keyboard.press('ArrowDown');
    for (let i = at; i > target; i--) await page.keyboard.press('ArrowUp');
    if ((await focused(page)).value !== language)
        throw new Error(`the language list shows ${(await focused(page)).value}, not ${language}`);
    await page.keyboard.press('Tab');
    const start = await page.evaluate(() => document.activeElement.matches('form button.primary[type=submit]'));
    if (!start) throw new Error('Tab after the language list did not reach its Start button');
    const started = await pressAndLoad(page, 'Enter');
    const state = await readPage(page);
    if (started.status() !== 200 || !/\/intake\/[0-9a-f]+$/.test(state.url) || state.lang !== language) {
        throw new Error(`Start gave ${started.status()} at ${state.url} in ${state.lang}`);
    }
    return state;
}

// The results page against `stepcare eval` on the answers given.
async function compareWithEval(page, name, answers, {stopped}) {
    const state = await readPage(page);
    const expected = await evaluate(answers, state.lang);
    const titles = expected.outcomes.map((o) => normalize(o.title));
    check(
        `${name}: the results list exactly eval's outcomes, in order (${expected.outcomes.map((o) => o.id).join(', ')})`,
        sameList(state.outcomeTitles, titles),
        `page: ${JSON.stringify(state.outcomeTitles)}\neval: ${JSON.stringify(titles)}\nanswers: ${JSON.stringify(answers)}`,
    );
    check(
        `${name}: the referral "${expected.referral.title}" ends the results`,
        state.referralTitle === normalize(expected.referral.title) &&
            state.mainText.lastIndexOf(state.referralTitle) >
                state.mainText.lastIndexOf(state.outcomeTitles.at(-1) ?? ''),
        `page: ${state.referralTitle}`,
    );
    check(
        `${name}: ${stopped ? 'stopped' : 'finished'}, as eval says (${expected.status})`,
        expected.status === (stopped ? 'stopped' : 'complete') &&
            state.h1 === TEXTS[state.lang][stopped ? 'stopped' : 'results'],
        `h1 "${state.h1}", eval ${expected.status}, missing ${JSON.stringify(expected.missing)}, errors ${JSON.stringify(expected.errors)}`,
    );
    return {state, expected};
}

function reportSteps(name, record) {
    check(
        `${name}: ${record.shown.length} question pages answered by keyboard; Skip only on optional questions, Back on all but the first`,
        record.problems.length === 0,
        record.problems.join('\n'),
    );
}

async function crisisPath(context, language) {
    const name = `${language} crisis`;
    const page = await newTab(context);
    const record = {shown: [], skipped: [], problems: []};
    const answers = {};
    await startIntake(page, language, {inspectHome: language === 'en'});
    const hooks = {
        in_danger_now: async () => {
            // On the page as loaded: the first Tab reaches the skip link; following it, the next Tab
            // passes the language switch and lands in <main>.
            await page.keyboard.press('Tab');
            const first = await page.evaluate(() => document.activeElement.matches('a.skip-link[href="#main"]'));
            await page.keyboard.press('Enter');
            await page.keyboard.press('Tab');
            const inMain = await page.evaluate(() => document.activeElement.closest('main') !== null);
            check(
                `${name}: the first Tab reaches the skip link, and Enter on it skips to the main content`,
                first && inMain,
                JSON.stringify(await focused(page)),
            );
            await inspect(page, `question, yes/no (${language})`);
        },
    };
    const end = await answerAll(page, {in_danger_now: true}, answers, hooks, record);
    check(
        `${name}: after "yes" the next page starts with the urgent section (role=alert)`,
        end.first?.tag === 'section' && end.first.className === 'urgent' && end.first.role === 'alert',
        JSON.stringify(end.first),
    );
    check(
        `${name}: the questions stop there (no answer form)`,
        end.question === null && !end.buttons.some((b) => b.action.endsWith('/answer')),
    );
    const {expected} = await compareWithEval(page, name, answers, {stopped: true});
    check(
        `${name}: the urgent section holds the crisis resources`,
        expected.outcomes.length > 0 &&
            expected.outcomes.every((o) => o.level === 'urgent' && end.urgent.includes(normalize(o.title))),
        end.urgent,
    );
    await inspect(
        page,
        `crisis: stopped results with the urgent section (${language})`,
        language === 'en'
            ? [
                  ['serve-crisis-1280.png', 1280],
                  ['serve-crisis-375.png', 375],
              ]
            : [],
    );
    await followLink(page, '/print');
    const print = await readPage(page);
    check(
        `${name}: the print page keeps the urgent outcome and the referral, without forms`,
        print.forms === 0 &&
            print.outcomeTitles.length === expected.outcomes.length &&
            print.referralTitle === normalize(expected.referral.title),
        JSON.stringify(print.outcomeTitles),
    );
    await inspect(page, `print page, stopped (${language})`);
    // An answer given by mistake: back from the print page, then "Change your last answer".
    await followLink(page, new URL(page.url()).pathname.replace(/\/print$/, ''));
    await pressButton(page, 'back');
    const again = await readPage(page);
    check(
        `${name}: "Change your last answer" reopens the question with "yes" chosen`,
        again.question !== null &&
            questionOf(again).id === 'in_danger_now' &&
            again.inputs.find((i) => i.checked)?.value === 'yes',
        JSON.stringify({question: again.question, inputs: again.inputs}),
    );
    reportSteps(name, record);
    await page.close();
}

async function minorPath(context, language) {
    const name = `${language} under 18`;
    const page = await newTab(context);
    const record = {shown: [], skipped: [], problems: []};
    const answers = {};
    await startIntake(page, language);
    const hooks = {
        // Continue with nothing chosen: the error summary, linked to the first radio.
        in_danger_now: async () => {
            await tabTo(page, 'main button.primary');
            const response = await pressAndLoad(page, 'Enter');
            const state = await readPage(page);
            check(
                `${name}: Continue with no answer chosen shows the error summary first and focused, role=alert, linked to the first radio`,
                response.status() === 422 &&
                    state.summary?.role === 'alert' &&
                    state.summary.focused && state.summary.isFirst &&
                    state.summary.links[0]?.hash === '#answer-yes' &&
                    state.summary.links[0].target === 'answer',
                JSON.stringify({status: response.status(), summary: state.summary}),
            );
            check(`${name}: the page title says there is an error`, state.title.startsWith('Error: '), state.title);
            await inspect(page, `question with an error, yes/no (${language})`);
            // The summary's link, followed by keyboard, puts the focus on the radio.
            await tabTo(page, 'main .error-summary a');
            await page.keyboard.press('Enter');
            await page
                .waitForFunction(() => document.activeElement?.id === 'answer-yes', {timeout: 3000})
                .catch(() => {});
            check(
                `${name}: Enter on the summary's link moves the focus to the radio`,
                (await focused(page)).id === 'answer-yes',
                JSON.stringify(await focused(page)),
            );
            return 'again';
        },
        age: async () => {
            await inspect(page, `question, whole number (${language})`);
            for (const typed of ['abc', '200']) {
                await fill(page, typed);
                const response = await submit(page, 'text');
                const state = await readPage(page);
                const input = state.inputs[0];
                const border = await page.evaluate(() => {
                    const style = getComputedStyle(document.getElementById('answer'));
                    return `${style.borderTopWidth} ${style.borderTopColor}`;
                });
                check(
                    `${name}: age "${typed}" is refused (422) with the error summary first and role=alert`,
                    response.status() === 422 &&
                        state.summary?.role === 'alert' &&
                        state.summary.focused && state.summary.isFirst &&
                        state.h1 !== null,
                    JSON.stringify({status: response.status(), summary: state.summary}),
                );
                check(
                    `${name}: the summary's link points at the age field, which keeps "${typed}", has aria-invalid and describes the error`,
                    state.summary?.links[0]?.hash === '#answer' &&
                        state.summary.links[0].target === 'answer' &&
                        input.value === typed &&
                        input.invalid === 'true' &&
                        (input.describedBy || '').split(' ').includes('answer-error') &&
                        normalize(state.summary.links[0].text) !== '' &&
                        state.errorMessage.includes(state.summary.links[0].text) &&
                        border === '4px rgb(179, 38, 30)',
                    JSON.stringify({input, border, summary: state.summary, error: state.errorMessage}),
                );
                await tabTo(page, 'main .error-summary a');
                await page.keyboard.press('Enter');
                await page
                    .waitForFunction(() => document.activeElement?.id === 'answer', {timeout: 3000})
                    .catch(() => {});
                check(
                    `${name}: Enter on the summary's link moves the focus into the age field`,
                    (await focused(page)).id === 'answer',
                    JSON.stringify(await focused(page)),
                );
                if (typed === 'abc')
                    await inspect(
                        page,
                        `question with an error, whole number (${language})`,
                        language === 'en' ? [['serve-error-summary-375.png', 375]] : [],
                    );
            }
            return undefined; // now answered from the plan
        },
    };
    const end = await answerAll(page, {in_danger_now: false, age: 16, country: 'gb'}, answers, hooks, record);
    const {expected} = await compareWithEval(page, name, answers, {stopped: false});
    check(
        `${name}: the only outcome is the adults-only one`,
        sameList(
            expected.outcomes.map((o) => o.id),
            ['adults_only'],
        ),
        JSON.stringify(expected.outcomes.map((o) => o.id)),
    );
    check(
        `${name}: the results say nothing about ketamine or esketamine`,
        !/ketamin/i.test(end.mainText),
        end.mainText.slice(0, 400),
    );
    reportSteps(name, record);
    await page.close();
}

async function treatmentResistantPath(context, language) {
    const name = `${language} treatment-resistant`;
    const other = language === 'en' ? 'es' : 'en';
    const page = await newTab(context);
    const record = {shown: [], skipped: [], problems: []};
    const answers = {};
    const plan = {...TREATMENT_RESISTANT};
    await startIntake(page, language);
    const hooks = {
        // The language switch mid-intake: the page's lang, its texts and the question change,
        // then switch back.
        mood3: async (before) => {
            for (const [to, from] of [
                [other, language],
                [language, other],
            ]) {
                await tabTo(page, `nav.languages button[lang="${to}"]`);
                const response = await pressAndLoad(page, 'Enter');
                const state = await readPage(page);
                check(
                    `${name}: the language switch to ${to} changes lang, the buttons and the question text`,
                    response.status() === 200 &&
                        state.lang === to &&
                        state.buttons[0].text === TEXTS[to].continue &&
                        questionOf(state).id === 'mood3' &&
                        (state.question !== before.question) === (to !== language) &&
                        state.languageButtons.some((b) => b.lang === from),
                    JSON.stringify({
                        status: response.status(),
                        lang: state.lang,
                        button: state.buttons[0].text,
                        question: state.question,
                    }),
                );
            }
            const back = await readPage(page);
            check(
                `${name}: back in ${language}, the question reads as before`,
                back.question === before.question && back.lang === language,
            );
        },
        // A form from a page that is out of date (answered meanwhile in another tab): 409.
        episode_length: async () => {
            const second = await newTab(context);
            await open(second, page.url());
            const secondState = await readPage(second);
            check(`${name}: a second tab shows the same question`, questionOf(secondState).id === 'episode_length');
            await submit(second, await fill(second, plan.episode_length));
            answers.episode_length = plan.episode_length;
            await second.close();
            await fill(page, 'two_to_6_months');
            const response = await submit(page, 'radio');
            const state = await readPage(page);
            check(
                `${name}: the first tab's stale form is refused with 409`,
                response.status() === 409 && state.h1 === TEXTS[language].stale && state.lang === language,
                JSON.stringify({status: response.status(), h1: state.h1, lang: state.lang}),
            );
            await inspect(page, `error page, 409 stale form (${language})`);
            await followLink(page, new URL(page.url()).pathname.replace(/\/answer$/, ''));
            const now = await readPage(page);
            check(
                `${name}: the 409 page's link leads back to where the intake stands`,
                questionOf(now).id === 'diagnosed',
                now.question,
            );
            // Back: the answer is the second tab's, not the stale form's.
            await pressButton(page, 'back');
            const kept = await readPage(page);
            check(
                `${name}: the stale form changed nothing: Back shows the second tab's answer`,
                questionOf(kept).id === 'episode_length' &&
                    kept.inputs.find((i) => i.checked)?.value === plan.episode_length,
                JSON.stringify(kept.inputs.filter((i) => i.checked)),
            );
            return 'again';
        },
        // Back changes an answer: first 1 full trial, then Back from the next question, 2.
        adequate_failed: async () => {
            await submit(page, await fill(page, 1));
            const next = await readPage(page);
            check(
                `${name}: after 1 full trial of 3 the next question asks about the others`,
                questionOf(next).id === 'trials_unsure',
                next.question,
            );
            // Shift+Tab from Continue goes back to the field; Back follows Continue.
            await tabTo(page, 'main button.primary');
            await shiftTab(page);
            check(`${name}: Shift+Tab from Continue returns to the field`, (await focused(page)).id === 'answer');
            await page.keyboard.press('Tab');
            await page.keyboard.press('Tab');
            check(
                `${name}: Back follows Continue in the Tab order`,
                await page.evaluate(() => document.activeElement.matches('button[formaction$="/back"]')),
            );
            await pressAndLoad(page, 'Enter');
            const again = await readPage(page);
            check(
                `${name}: Back shows the question before, with its answer kept`,
                questionOf(again).id === 'adequate_failed' && again.inputs[0].value === '1',
                JSON.stringify({question: again.question, value: again.inputs[0]?.value}),
            );
            return undefined; // answered from the plan: 2
        },
        bp_systolic: async (state) => {
            check(
                `${name}: the optional question offers Skip`,
                state.buttons.some((b) => b.action.endsWith('/skip')),
            );
        },
        heart: async () => {
            check(
                `${name}: skipping the blood pressure reading moves on without asking its second number`,
                record.skipped.includes('bp_systolic') && !record.shown.includes('bp_diastolic'),
                JSON.stringify(record.shown.slice(-3)),
            );
        },
        pregnancy: async () => {
            await inspect(page, `question, several answers (${language})`);
        },
    };
    await answerAll(page, plan, answers, hooks, record);
    const {expected} = await compareWithEval(page, name, answers, {stopped: false});
    check(
        `${name}: the results include the ketamine/esketamine discussion (second_line_discussion)`,
        expected.outcomes.some((o) => o.id === 'second_line_discussion'),
    );
    check(
        `${name}: eval got the answer changed with Back (adequate_failed = 2)`,
        answers.adequate_failed === 2 && expected.values.failed_count === 2,
        JSON.stringify(expected.values.failed_count),
    );
    await inspect(
        page,
        `results, finished (${language})`,
        language === 'en'
            ? [
                  ['serve-result-1280.png', 1280],
                  ['serve-result-375.png', 375],
              ]
            : [],
    );
    await followLink(page, '/print');
    const print = await readPage(page);
    check(
        `${name}: the print page has the same outcomes and referral, and no buttons, forms or language switch`,
        sameList(
            print.outcomeTitles,
            expected.outcomes.map((o) => normalize(o.title)),
        ) &&
            print.referralTitle === normalize(expected.referral.title) &&
            print.forms === 0 &&
            print.buttons.length === 0 &&
            print.languageButtons.length === 0,
        JSON.stringify(print),
    );
    await inspect(page, `print page (${language})`, language === 'en' ? [['serve-print-1280.png', 1280]] : []);
    await followLink(page, new URL(page.url()).pathname.replace(/\/print$/, ''));
    check(
        `${name}: the print page's link leads back to the results`,
        (await readPage(page)).h1 === TEXTS[language].results,
    );
    reportSteps(name, record);
    await page.close();
}

async function firstLinePath(context, language) {
    const name = `${language} first-line`;
    const page = await newTab(context);
    const record = {shown: [], skipped: [], problems: []};
    const answers = {};
    await startIntake(page, language);
    let resumed = page;
    let resumeUrl = null;
    const hooks = {
        age: async () => {
            check(
                `${name}: the required question has no Skip button`,
                !(await readPage(page)).buttons.some((b) => b.action.endsWith('/skip')),
            );
        },
        country: async () => {
            await inspect(
                page,
                `question, one answer (${language})`,
                language === 'en'
                    ? [
                          ['serve-question-1280.png', 1280],
                          ['serve-question-375.png', 375],
                      ]
                    : [],
            );
        },
        // Save and leave, then the link in a new browser context without cookies.
        mood5: async (before) => {
            const response = await pressButton(page, 'leave');
            const saved = await readPage(page);
            resumeUrl = saved.links.find((l) => /\/intake\/[0-9a-f]+$/.test(l.href))?.href;
            check(
                `${name}: Save and leave shows the saved page with the resume link`,
                response.status() === 200 &&
                    saved.h1 === TEXTS[language].saved &&
                    resumeUrl === server.base + new URL(before.url).pathname &&
                    saved.mainText.includes(resumeUrl),
                JSON.stringify({status: response.status(), h1: saved.h1, links: saved.links}),
            );
            await inspect(page, `saved page (${language})`, language === 'en' ? [['serve-saved-375.png', 375]] : []);
            await page.close();
            const fresh = await browser.createBrowserContext();
            resumed = await newTab(fresh);
            check(`${name}: the new browser context has no cookies`, (await resumed.cookies(server.base)).length === 0);
            const opened = await open(resumed, resumeUrl);
            const state = await readPage(resumed);
            check(
                `${name}: the resume link, opened in a new context, shows the question left, in ${language}`,
                opened.status() === 200 && questionOf(state).id === 'mood5' && state.lang === language,
                JSON.stringify({status: opened.status(), question: state.question, lang: state.lang}),
            );
            return 'stop';
        },
        discuss_topics: async (state) => {
            check(
                `${name}: the optional several-answers question offers Skip`,
                state.buttons.some((b) => b.action.endsWith('/skip')),
            );
        },
    };
    // Up to Save and leave in the first context, the rest in the new one.
    await answerAll(page, FIRST_LINE, answers, hooks, record);
    if (resumed === page) throw new Error('the intake ended before Save and leave');
    const end = await answerAll(resumed, FIRST_LINE, answers, hooks, record);
    const {expected} = await compareWithEval(resumed, name, answers, {stopped: false});
    check(
        `${name}: the results put first-line treatments first (first_line_first)`,
        expected.outcomes.some((o) => o.id === 'first_line_first') &&
            !expected.outcomes.some((o) => o.id === 'second_line_discussion'),
    );
    check(
        `${name}: the skipped optional question is no answer`,
        record.skipped.includes('discuss_topics') && !('discuss_topics' in answers),
    );
    check(`${name}: the results page is in ${language}`, end.lang === language);
    reportSteps(name, record);
    await resumed.browserContext().close();
}

// An adult whose answers point to risk: the safety box comes first on the next question.
async function urgentQuestionPath(context, language) {
    const name = `${language} elevated risk`;
    const page = await newTab(context);
    const record = {shown: [], skipped: [], problems: []};
    await startIntake(page, language);
    const hooks = {
        better_off: async (state) => {
            check(
                `${name}: the question after "wished you were dead: yes" starts with the urgent section (role=alert)`,
                state.first?.tag === 'section' &&
                    state.first.className === 'urgent' &&
                    state.first.role === 'alert' &&
                    state.question !== null,
                JSON.stringify(state.first),
            );
            await inspect(page, `question after an urgent answer (${language})`);
            return 'stop';
        },
    };
    await answerAll(page, {...ADULT, wish_dead: true}, {}, hooks, record);
    reportSteps(name, record);
    await page.close();
}

async function errorPages(context, language) {
    const page = await newTab(context);
    const response = await open(page, `${server.base}/intake/${'0'.repeat(32)}${language === 'es' ? '?lang=es' : ''}`);
    const state = await readPage(page);
    check(
        `${language} 404: an unknown intake shows the error page in ${language}, with a link to the start page`,
        response.status() === 404 &&
            state.h1 === TEXTS[language].notFound &&
            state.lang === language &&
            state.links.some((l) => l.href === server.base + '/'),
        JSON.stringify({status: response.status(), h1: state.h1, lang: state.lang}),
    );
    await inspect(
        page,
        `error page, 404 unknown intake (${language})`,
        language === 'en' ? [['serve-error-1280.png', 1280]] : [],
    );
    if (language === 'en') {
        // The checks themselves: axe finds a field without a label planted in the page, and the
        // reflow measure sees an element wider than 320 px.
        await page.evaluate(() => {
            document
                .querySelector('main')
                .insertAdjacentHTML(
                    'beforeend',
                    '<p><input type="text" id="planted"></p><pre>' + 'x'.repeat(200) + '</pre>',
                );
        });
        const planted = await axeViolations(page);
        await page.setViewport({width: 320, height: 800, deviceScaleFactor: 1});
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        await page.setViewport(DESKTOP);
        check(
            'the checks catch what they look for: axe reports an unlabelled field, the reflow check a 200-character line',
            planted.some((v) => v.id === 'label') && wide > 320,
            `${planted.map((v) => v.id)} ${wide}`,
        );
    }
    if (language === 'es') {
        await open(page, server.base + '/?lang=es');
        const home = await readPage(page);
        check('es home: /?lang=es is in Spanish', home.lang === 'es');
        await inspect(page, 'home (es)');
    }
    await page.close();
}

// ---------------------------------------------------------------------------------------------

async function main() {
    const started = Date.now();
    const watchdog = setTimeout(() => {
        check(`the whole run within ${WHOLE_RUN_LIMIT_MS / 1000} s`, false);
        finish(1);
    }, WHOLE_RUN_LIMIT_MS);

    server = new Server();
    const line = await server.start();
    console.log(line);
    questions = {en: await questionsByText('en'), es: await questionsByText('es')};
    // The questionnaire eval reads must be the one the server serves.
    const served = await (await fetch(`${server.base}/api/v1/questionnaires/${QUESTIONNAIRE_ID}`)).json();
    const local = await evaluate({}, 'en');
    check(
        `the server serves the ${QUESTIONNAIRE_ID} of ${path.basename(QUESTIONNAIRE)} (same sha256)`,
        served.sha256 === local.questionnaire.sha256,
        `${served.sha256} vs ${local.questionnaire.sha256}`,
    );

    browser = await puppeteer.launch({executablePath: CHROMIUM, headless: 'new', args: ['--no-sandbox']});
    console.log(`browser: ${await browser.version()}`);

    for (const language of ['en', 'es']) {
        for (const [label, path_] of [
            ['crisis', crisisPath],
            ['under 18', minorPath],
            ['treatment-resistant', treatmentResistantPath],
            ['first-line', firstLinePath],
            ['elevated risk', urgentQuestionPath],
            ['error pages', errorPages],
        ]) {
            const since = Date.now();
            const context = await browser.createBrowserContext();
            try {
                await path_(context, language);
            } catch (error) {
                check(`${language} ${label}: the path ran to its end`, false, error.stack);
            }
            await context.close().catch(() => {});
            console.log(`--   ${language} ${label}: ${seconds(since)}`);
        }
    }

    // Every kind of page was checked in both languages.
    const missing = PAGE_KINDS.flatMap((kind) => ['en', 'es'].map((l) => `${kind} (${l})`)).filter(
        (name) => !inspected.has(name),
    );
    check(
        `every kind of page checked in English and Spanish (${PAGE_KINDS.length} kinds)`,
        missing.length === 0,
        `not checked: ${missing.join(', ')}`,
    );

    await browser.close();
    browser = null;
    const stopped = await server.stop();
    server = null;
    check('the server stops cleanly on SIGTERM', stopped && stopped.code === 0, JSON.stringify(stopped));
    clearTimeout(watchdog);
    console.log(`--   whole run: ${seconds(started)}`);
    finish(failed === 0 ? 0 : 1);
}

let finishing = false;
async function finish(code) {
    if (finishing) return;
    finishing = true;
    if (failed > 0 && server?.stderr) console.log(`server stderr (last part):\n${server.stderr.slice(-3000)}`);
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop().catch(() => {});
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(code);
}

main().catch((error) => {
    check('the test ran', false, error.stack);
    finish(1);
});
