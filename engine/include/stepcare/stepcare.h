/* The Stepcare C API: compile a questionnaire, evaluate answers, run an intake session.
 *
 * A thin layer over the C++ library for programs written in C or in any language that
 * can call C (Python's ctypes, Go's cgo, Java's FFM, Node's N-API). It compiles as C99.
 *
 * Conventions, the same for every function:
 * - Functions that can fail return an int status: 0 (STEPCARE_OK) on success, otherwise
 *   one of the codes of enum stepcare_status. stepcare_last_error() then says what went
 *   wrong, in English.
 * - Data goes in and out as UTF-8 JSON text in the formats of the Stepcare documentation:
 *   answers in, results and diagnostics out.
 * - Every `char**` out-parameter is set to NULL on entry. On return it is either still NULL
 *   or a string the caller owns and releases with stepcare_free(), whatever the status.
 * - A NULL where a pointer is required gives STEPCARE_ERROR_ARGUMENT and changes nothing.
 * - No C++ exception ever leaves this API, including when memory runs out.
 *
 * Threads: a stepcare_questionnaire is immutable and may be used by any number of threads
 * at once. A stepcare_session must be used by one thread at a time. stepcare_last_error()
 * is kept per thread.
 */
#ifndef STEPCARE_H
#define STEPCARE_H

#include "stepcare/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The status codes. Values never change meaning; new ones may be added. */
enum stepcare_status {
    STEPCARE_OK = 0,
    /* A required pointer argument is NULL, or an argument is not one of the values the
     * function takes (such as a `texts` that is not one of enum stepcare_texts). */
    STEPCARE_ERROR_ARGUMENT = 1,
    /* The questionnaire file could not be read; the diagnostics say why. */
    STEPCARE_ERROR_UNREADABLE = 2,
    /* The questionnaire has errors; the diagnostics list them. */
    STEPCARE_ERROR_COMPILE = 3,
    /* The answers were rejected: the record is not JSON, has the wrong shape, holds an answer
     * that does not fit its question, or asks for an undeclared language. */
    STEPCARE_ERROR_INVALID_ANSWERS = 4,
    /* A session refused the step: an answer that does not fit the current question, back at
     * the first question, skip on a required one, or any step once the intake is over. */
    STEPCARE_ERROR_REFUSED = 5,
    /* Memory ran out. */
    STEPCARE_ERROR_NO_MEMORY = 6,
    /* A failure inside the engine that is not the caller's doing (a bug: please report it). */
    STEPCARE_ERROR_INTERNAL = 7
};

/* A compiled questionnaire. Immutable; free it with stepcare_questionnaire_free(). */
typedef struct stepcare_questionnaire stepcare_questionnaire;

/* One person's intake over a questionnaire. Free it with stepcare_session_free(). */
typedef struct stepcare_session stepcare_session;

/* The engine's version, "MAJOR.MINOR.PATCH". A static string: do not free it. */
STEPCARE_API const char* stepcare_version(void);

/* What went wrong in the last call on this thread that returned a non-zero status; "" when
 * the last such call succeeded. Never NULL. Owned by the library and valid until the next
 * call of this API on the same thread: copy it if you need it longer. */
STEPCARE_API const char* stepcare_last_error(void);

/* The name of a status code, such as "STEPCARE_ERROR_COMPILE", or "unknown status" for a
 * value that is not one. A static string: do not free it. */
STEPCARE_API const char* stepcare_status_name(int status);

/* Releases a string returned by this API. NULL is allowed and does nothing. */
STEPCARE_API void stepcare_free(void* p);

/* Reads and compiles a questionnaire file (`path`, required), then runs its tests.
 *
 * On success `*out` is the questionnaire. `*diagnostics_json` (when `diagnostics_json` is
 * not NULL) is the JSON array of diagnostics in every case: warnings on success, the reason
 * for STEPCARE_ERROR_UNREADABLE, every error for STEPCARE_ERROR_COMPILE. On any failure
 * `*out` is NULL and stepcare_last_error() gives the first error as one line. */
STEPCARE_API int stepcare_compile_file(const char* path, stepcare_questionnaire** out, char** diagnostics_json);

/* Compiles questionnaire source held in memory (`source`, required, UTF-8). `name` is what
 * diagnostics call the source, "<string>" when NULL. Otherwise as stepcare_compile_file(),
 * except that it never returns STEPCARE_ERROR_UNREADABLE. */
STEPCARE_API int stepcare_compile_string(const char* source, const char* name, stepcare_questionnaire** out,
                                         char** diagnostics_json);

/* Evaluates one record, `{"id": ..., "answers": {...}}`, into `*result_json`, a result
 * object. `language` chooses the language of its texts; NULL or "" is the questionnaire's
 * default. `q`, `answers_json` and `result_json` are required.
 *
 * Returns STEPCARE_OK, or STEPCARE_ERROR_INVALID_ANSWERS when the record was rejected: then
 * `*result_json` is still set, with status "invalid", every problem under "errors", and the
 * referral. Safe to call from many threads at once with the same questionnaire. */
STEPCARE_API int stepcare_evaluate(const stepcare_questionnaire* q, const char* answers_json,
                                   const char* language /* NULL: default */, char** result_json);

/* Which texts a result object carries (stepcare_evaluate_texts). Values never change meaning. */
enum stepcare_texts {
    /* Every key of the result format: the result of stepcare_evaluate(). */
    STEPCARE_TEXTS_FULL = 0,
    /* No rendered texts: the fired outcomes and the referral without "title" and "text", as
     * `stepcare eval --texts none` writes them. Ids, levels, cites, values, missing, ignored,
     * errors (with their messages) and the questionnaire's identity stay. */
    STEPCARE_TEXTS_NONE = 1
};

/* stepcare_evaluate() with a choice of texts: `texts` is STEPCARE_TEXTS_FULL (the same result)
 * or STEPCARE_TEXTS_NONE (the result without titles and texts, which are then not rendered
 * at all: for records by the million). Any other value gives STEPCARE_ERROR_ARGUMENT and
 * leaves `*result_json` NULL. Otherwise as stepcare_evaluate(). */
STEPCARE_API int stepcare_evaluate_texts(const stepcare_questionnaire* q, const char* answers_json,
                                         const char* language /* NULL: default */, int texts, char** result_json);

/* What identifies the questionnaire, and its languages, as a JSON object:
 *   {"id": "mini", "version": "1.0.0", "sha256": "...", "languages": ["en", "es"],
 *    "title": "...", "description": "...", "question_count": 2}
 * "languages" starts with the default one; "title" and "description" (empty when there is
 * none) are in `language` (NULL, "" or a language the questionnaire does not declare: its
 * default language). `q` and `info_json` are required. */
STEPCARE_API int stepcare_questionnaire_info(const stepcare_questionnaire* q, const char* language, char** info_json);

/* Releases a questionnaire. Sessions made from it stay usable: they keep what they need.
 * NULL is allowed and does nothing. */
STEPCARE_API void stepcare_questionnaire_free(stepcare_questionnaire* q);

/* Starts an intake over `q` in `language` (NULL, "" or a language the questionnaire does not
 * declare: its default language). `q` and `out` are required. */
STEPCARE_API int stepcare_session_create(const stepcare_questionnaire* q, const char* language, stepcare_session** out);

/* The question to show now, as a JSON object, or the JSON text `null` when the intake is
 * over (every question answered or skipped, or an urgent outcome stopped it). The object:
 *   {"index": 4, "id": "tried", "kind": "integer", "optional": false,
 *    "section_id": "history", "section_title": "...", "ask": "...", "help": "", "unit": "",
 *    "options": [{"id": "daily", "label": "...", "key": "1"}], "min": 0, "max": 20, "max_length": null,
 *    "progress": {"number": 5, "total": 19}, "set_aside": null}
 * Every key is always present. Texts are in the session's language, with the answers so far
 * filled in; absent texts are "". "options" is empty except for choice and multi questions;
 * "min" and "max" are null except for integer and decimal ones; "max_length" is null unless a
 * text question sets one. "progress" counts the questions shown so far and those that may
 * still follow. "set_aside" is null, or {"answer": 3, "message": "..."} when the question is
 * asked again because a changed earlier answer made its answer invalid (the session cleared
 * it, so that the result never becomes invalid through the person's own edit). */
STEPCARE_API int stepcare_session_question(const stepcare_session* s, char** question_json);

/* Answers the current question with one JSON value: true, "daily", 34, ["a", "b"].
 * STEPCARE_ERROR_REFUSED when the answer does not fit (the message, for the person, is in
 * stepcare_last_error()) or the intake is over; a refused answer changes nothing. An accepted
 * answer that makes a later answer invalid sets that answer aside: the question is asked
 * again, with "set_aside" in its question object. */
STEPCARE_API int stepcare_session_answer(stepcare_session* s, const char* answer_json);

/* What the last stepcare_session_answer() or stepcare_session_skip() on `s` did, as a JSON
 * object, or the JSON text `null` before the first:
 *   {"accepted": true, "message": "", "set_aside": [{"question": "adequate", "answer": 3,
 *    "message": "..."}], "urgent": ["crisis"]}
 * "message" says why a step was refused ("" when accepted). "set_aside" lists the later
 * answers the step made invalid and cleared. "urgent" lists the ids of the urgent outcomes
 * that the step made fire, in result order: show them at once, before the next question. An
 * urgent outcome is listed when it starts firing; again only after it stopped firing, or
 * after going back from the end of the intake. `s` and `feedback_json` are required. */
STEPCARE_API int stepcare_session_feedback(const stepcare_session* s, char** feedback_json);

/* Goes back to the previously shown question, keeping every answer. STEPCARE_ERROR_REFUSED at
 * the first question. After an urgent outcome stopped the intake it goes back to the answer
 * that stopped it, so that a mistake can be changed; the stop holds until that answer does. */
STEPCARE_API int stepcare_session_back(stepcare_session* s);

/* Leaves the current question unanswered and moves on. STEPCARE_ERROR_REFUSED unless the
 * question is optional. */
STEPCARE_API int stepcare_session_skip(stepcare_session* s);

/* The result of the answers so far, as a result object (its "id" is null); the referral is
 * always in it. */
STEPCARE_API int stepcare_session_result(const stepcare_session* s, char** result_json);

/* Reads `text`, as a person typed it, as an answer to question `question_id`, in the session's
 * language (option keys, labels or ids, yes/no words, numbers in the language's format: the
 * rules of session::parse_answer in the C++ API). Changes nothing: give the answer to
 * stepcare_session_answer(). `*parsed_json` is
 *   {"answer": 2.5, "problem": null}
 * or, with STEPCARE_ERROR_REFUSED and the problem's message in stepcare_last_error(),
 *   {"answer": null, "problem": {"kind": "out_of_range", "message": "...", "text": "46",
 *    "options": [], "number": 46, "suggestion": "", "length": 0}}
 * "kind" is one of "empty", "not_yes_no", "unknown_option", "no_such_option",
 * "ambiguous_option", "one_option_only", "not_a_number", "decimal_separator", "grouping",
 * "not_whole", "out_of_range", "too_long". An unknown question id gives
 * STEPCARE_ERROR_REFUSED with `*parsed_json` NULL. Every pointer is required. */
STEPCARE_API int stepcare_session_parse_answer(const stepcare_session* s, const char* question_id, const char* text,
                                               char** parsed_json);

/* What question `question_id`'s answer is used for, as a JSON array, `[]` for an unknown id:
 *   [{"kind": "outcome", "id": "crisis", "title": "Get help now", "level": "urgent"},
 *    {"kind": "question_shown", "id": "tried", "title": "How many tried?", "level": null}]
 * "kind" is "let", "outcome", "question_shown" (its `when`), "question_requirement",
 * "outcome_text", "referral_text" or "question_text" (a wording that shows the answer).
 * "title" is an outcome's title or a question's ask, in the session's language; null for lets
 * and the referral. "level" is null except for outcomes. "id" is null for the referral. For a
 * "why is this asked?" command. `s`, `question_id` and `uses_json` are required. */
STEPCARE_API int stepcare_session_used_by(const stepcare_session* s, const char* question_id, char** uses_json);

/* The answers so far, the position and the questions already shown, as JSON to store and
 * give to stepcare_session_restore() later, possibly in another process. */
STEPCARE_API int stepcare_session_save(const stepcare_session* s, char** saved_json);

/* Replaces the session's answers with those of `saved_json` (from stepcare_session_save(), or
 * `{"answers": {...}}`) and continues at the saved position when that question is shown.
 * Answers that do not fit are dropped: then STEPCARE_ERROR_INVALID_ANSWERS, and
 * `*errors_json` (when `errors_json` is not NULL) lists them as
 * [{"question": "age", "message": "..."}] ("question" null when the problem is the whole
 * text's). `*errors_json` is "[]" on success. */
STEPCARE_API int stepcare_session_restore(stepcare_session* s, const char* saved_json, char** errors_json);

/* ---- FHIR R4 (docs/fhir.md) ------------------------------------------------------------ */

/* The questionnaire as a FHIR R4 Questionnaire resource (pretty-printed JSON) in
 * `*questionnaire_json`, texts in `language` (NULL or "": the default) and the other
 * languages as translations; `base_url` (NULL or "": urn:stepcare:ID) is its canonical URL.
 * `*diagnostics_json` (when not NULL) lists what FHIR cannot say, as "fhir-lossy" warnings in
 * the diagnostics JSON format. Returns STEPCARE_ERROR_INVALID_ANSWERS for an undeclared
 * language (then `*questionnaire_json` is NULL). `q` and `questionnaire_json` are required. */
STEPCARE_API int stepcare_export_fhir(const stepcare_questionnaire* q, const char* language, const char* base_url,
                                      char** questionnaire_json, char** diagnostics_json);

/* Evaluates one answers record as stepcare_evaluate() does and gives its result as a FHIR
 * QuestionnaireResponse, one line of JSON, in `*response_json`; for a rejected record an
 * OperationOutcome, with STEPCARE_ERROR_INVALID_ANSWERS. `q`, `answers_json` and
 * `response_json` are required. */
STEPCARE_API int stepcare_evaluate_fhir(const stepcare_questionnaire* q, const char* answers_json, const char* language,
                                        const char* base_url, char** response_json);

/* Reads a FHIR QuestionnaireResponse (or a Bundle of one) for `q` into an answers record,
 * `{"id": ..., "answers": {...}}`, in `*answers_json`. When it does not fit: NULL there,
 * STEPCARE_ERROR_INVALID_ANSWERS, and `*errors_json` (when not NULL) lists the problems as
 * stepcare_session_restore() does, each naming the linkId and the JSON path. `q`,
 * `response_json` and `answers_json` are required. */
STEPCARE_API int stepcare_answers_from_fhir(const stepcare_questionnaire* q, const char* response_json,
                                            const char* base_url, char** answers_json, char** errors_json);

/* Makes a .sq questionnaire from a FHIR R4 Questionnaire in JSON (docs/fhir.md, "Questionnaires
 * in: stepcare import"): its source text in `*source`. `*diagnostics_json` (when not NULL)
 * lists the errors and warnings in the diagnostics JSON format, each naming the JSON path, in
 * a file called `name` (NULL: "questionnaire.json"). When it cannot be imported: NULL in
 * `*source` and STEPCARE_ERROR_COMPILE. `fhir_json` and `source` are required. */
STEPCARE_API int stepcare_import_fhir(const char* fhir_json, const char* name, char** source, char** diagnostics_json);

/* Releases a session. NULL is allowed and does nothing. */
STEPCARE_API void stepcare_session_free(stepcare_session* s);

#ifdef __cplusplus
}
#endif

#endif /* STEPCARE_H */
