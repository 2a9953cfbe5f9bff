// The intake's table of words, English and Spanish side by side.

#include "intake/texts.hpp"

#include <array>
#include <cstddef>

namespace stepcare::cli::intake {

namespace {

struct entry {
    text_id id;
    std::string_view en;
    std::string_view es;
};

// One row per text, in the order of `text_id`; {1}, {2}... are the arguments.
constexpr std::array table{
    entry{text_id::intro, "One question at a time. Type “help” or “?” at any question to see what you can do.",
          "Una pregunta cada vez. Escriba «ayuda» o «?» en cualquier pregunta para ver qué puede hacer."},
    entry{text_id::intro_length, "Up to {1} questions, about {2} minutes.", "Hasta {1} preguntas, unos {2} minutos."},
    entry{text_id::intro_saved, "Your answers are kept only in {1}, on this computer, and are sent nowhere.",
          "Sus respuestas se guardan solo en {1}, en este ordenador, y no se envían a ningún sitio."},
    entry{text_id::intro_not_saved,
          "Your answers are not saved and are sent nowhere: they are only shown on this screen.",
          "Sus respuestas no se guardan ni se envían a ningún sitio: solo se muestran en esta pantalla."},
    entry{text_id::intro_danger, "If you are in danger right now, stop here and call your local emergency number.",
          "Si está en peligro ahora mismo, deténgase aquí y llame al número de emergencias local."},
    entry{text_id::resumed, "Welcome back: continuing where you left off.",
          "Bienvenido de nuevo: seguimos donde lo dejó."},
    entry{text_id::prefilled, "Some answers were given beforehand; continuing with the first question left.",
          "Algunas respuestas ya estaban dadas; seguimos con la primera pregunta pendiente."},
    entry{text_id::progress, "Question {1} of about {2}", "Pregunta {1} de unas {2}"},
    entry{text_id::hint_yesno, "Answer yes (1) or no (2).", "Responda sí (1) o no (2)."},
    entry{text_id::hint_choice, "Type the number or the words of one answer.",
          "Escriba el número o el texto de una respuesta."},
    entry{text_id::hint_choice_letters, "Type the letter or the words of one answer.",
          "Escriba la letra o el texto de una respuesta."},
    entry{text_id::hint_multi, "Type the numbers or words of every answer that applies, separated by commas, or {1}.",
          "Escriba los números o textos de todas las respuestas que correspondan, separados por comas, "
          "o {1}."},
    entry{text_id::hint_multi_letters,
          "Type the letters or words of every answer that applies, separated by commas, or {1}.",
          "Escriba las letras o textos de todas las respuestas que correspondan, separados por comas, "
          "o {1}."},
    entry{text_id::hint_integer, "Type a whole number from {1} to {2}.", "Escriba un número entero de {1} a {2}."},
    entry{text_id::hint_decimal, "Type a number from {1} to {2}.", "Escriba un número de {1} a {2}."},
    entry{text_id::hint_with_unit, "{1} Unit: {2}.", "{1} Unidad: {2}."},
    entry{text_id::hint_text, "Type your answer.", "Escriba su respuesta."},
    entry{text_id::hint_text_max, "Type your answer (at most {1} characters).",
          "Escriba su respuesta (como máximo {1} caracteres)."},
    entry{text_id::hint_optional, "This question is optional: type {1} to leave it out.",
          "Esta pregunta es opcional: escriba {1} para dejarla sin responder."},
    entry{text_id::previous_answer, "Your answer was: {1}. Press Enter to keep it.",
          "Su respuesta fue: {1}. Pulse Intro para mantenerla."},
    entry{text_id::set_aside_notice,
          "Your answer to {1} no longer fits with the answer you just changed, so it has been set aside and you "
          "will be asked that question again. {2}",
          "Su respuesta a {1} ya no encaja con la respuesta que acaba de cambiar, así que se ha dejado aparte y "
          "se le volverá a hacer esa pregunta. {2}"},
    entry{text_id::asked_again,
          "You are asked this again: your earlier answer ({1}) no longer fits with an answer you changed. {2}",
          "Se le vuelve a hacer esta pregunta: su respuesta anterior ({1}) ya no encaja con una respuesta que "
          "cambió. {2}"},
    entry{text_id::err_empty, "Please type an answer.", "Escriba una respuesta, por favor."},
    entry{text_id::err_line_too_long,
          "That line is longer than {1} bytes, so it was not read. Please type a shorter answer.",
          "Esa línea tiene más de {1} bytes, así que no se ha leído. Escriba una respuesta más corta, por favor."},
    entry{text_id::err_empty_optional, "Please type an answer, or {1} to leave it out.",
          "Escriba una respuesta, por favor, o {1} para dejarla sin responder."},
    entry{text_id::err_yesno, "Please answer yes (1) or no (2).", "Responda sí (1) o no (2), por favor."},
    entry{text_id::err_choice_unknown,
          "{1} is not one of the answers. Type a number from 1 to {2}, or the words of an answer.",
          "{1} no es una de las respuestas. Escriba un número del 1 al {2} o el texto de una respuesta."},
    entry{text_id::err_choice_unknown_letters,
          "{1} is not one of the answers. Type a letter from a to {2}, or the words of an answer.",
          "{1} no es una de las respuestas. Escriba una letra de la a a la {2} o el texto de una respuesta."},
    entry{text_id::err_choice_number, "There is no answer number {1}. Type a number from 1 to {2}.",
          "No hay respuesta número {1}. Escriba un número del 1 al {2}."},
    entry{text_id::err_choice_letter, "There is no answer {1}. Type a letter from a to {2}.",
          "No hay respuesta {1}. Escriba una letra de la a a la {2}."},
    entry{text_id::err_choice_ambiguous, "{1} could be {2}. Type more of the words, or the number.",
          "{1} puede ser {2}. Escriba más texto o el número."},
    entry{text_id::err_choice_ambiguous_letters, "{1} could be {2}. Type more of the words, or the letter.",
          "{1} puede ser {2}. Escriba más texto o la letra."},
    entry{text_id::err_choice_one, "Please choose only one answer.", "Elija solo una respuesta, por favor."},
    entry{text_id::err_not_number, "{1} is not a number. {2}", "{1} no es un número. {2}"},
    entry{text_id::err_decimal_separator, "Please write decimals with {1}, as in {2}. {3}",
          "Escriba los decimales con {1}, así: {2}. {3}"},
    entry{text_id::err_grouping, "Please write the number without separators, as in {1}. {2}",
          "Escriba el número sin separadores, así: {1}. {2}"},
    entry{text_id::err_not_whole, "{1} is not a whole number. {2}", "{1} no es un número entero. {2}"},
    entry{text_id::err_out_of_range, "{1} is out of range. {2}", "{1} está fuera del intervalo. {2}"},
    entry{text_id::err_too_long, "That is {1} characters long; at most {2} fit.",
          "Tiene {1} caracteres; caben como máximo {2}."},
    entry{text_id::or_word, "or", "o"},
    entry{text_id::cannot_skip, "This question needs an answer; only optional questions can be skipped.",
          "Esta pregunta necesita una respuesta; solo se pueden saltar las preguntas opcionales."},
    entry{text_id::skipped, "Left unanswered.", "Sin responder."},
    entry{text_id::at_first, "This is the first question; there is none before it.",
          "Esta es la primera pregunta; no hay ninguna anterior."},
    entry{text_id::help_heading, "At any question you can type:", "En cualquier pregunta puede escribir:"},
    entry{text_id::help_back, "go back to the previous question", "volver a la pregunta anterior"},
    entry{text_id::help_skip, "leave this question out (optional questions only)",
          "dejar esta pregunta sin responder (solo las opcionales)"},
    entry{text_id::help_help, "show this help (or ?)", "mostrar esta ayuda (o ?)"},
    entry{text_id::help_why, "see what this answer is used for", "ver para qué sirve esta respuesta"},
    entry{text_id::help_quit, "stop here and see what your answers show so far",
          "terminar aquí y ver lo que muestran sus respuestas hasta ahora"},
    entry{text_id::why_intro,
          "Your answer to this question helps decide:", "Su respuesta a esta pregunta ayuda a decidir:"},
    entry{text_id::why_level, "{1}: {2}", "{1}: {2}"},
    entry{text_id::why_questions, "Which later questions are asked: {1}", "Qué preguntas posteriores se hacen: {1}"},
    entry{text_id::why_wording, "The wording of: {1}", "El texto de: {1}"},
    entry{text_id::why_closing_message, "the closing message", "el mensaje final"},
    entry{text_id::why_none,
          "None of the results uses this answer; it is asked for your clinician, or to choose the questions "
          "that follow.",
          "Ningún resultado usa esta respuesta; se pregunta para su profesional sanitario o para elegir las "
          "preguntas siguientes."},
    entry{text_id::urgent_banner, "IMPORTANT", "IMPORTANTE"},
    entry{text_id::urgent_pause, "Press Enter when you are ready to go on.",
          "Pulse Intro cuando esté preparado/a para seguir."},
    entry{text_id::urgent_sources, "Sources of {1}: {2}", "Fuentes de {1}: {2}"},
    entry{text_id::summary_heading, "In short", "En resumen"},
    entry{text_id::summary_more, "and {1} more below", "y {1} más abajo"},
    entry{text_id::summary_next, "Next step: {1}", "Siguiente paso: {1}"},
    entry{text_id::sources_heading, "Sources", "Fuentes"},
    entry{text_id::stop_mistake, "If you typed that answer by mistake, type {1} to change it. Otherwise, press Enter.",
          "Si escribió esa respuesta por error, escriba {1} para cambiarla. Si no, pulse Intro."},
    entry{text_id::confirm_ending,
          "With this answer the questionnaire ends here. Press Enter to see your results, or type {1} to change it.",
          "Con esta respuesta el cuestionario termina aquí. Pulse Intro para ver sus resultados, o escriba {1} para "
          "cambiarla."},
    entry{text_id::resume_ended,
          "This questionnaire was already finished. Type {1} to go back over your answers, {2} to start again, or "
          "press Enter to see your results.",
          "Este cuestionario ya estaba terminado. Escriba {1} para revisar sus respuestas, {2} para empezar de nuevo, "
          "o pulse Intro para ver sus resultados."},
    entry{text_id::review_word, "review", "revisar"},
    entry{text_id::restart_word, "new", "nuevo"},
    entry{text_id::summary_title, "Summary for your clinician", "Resumen para su profesional sanitario"},
    entry{text_id::summary_questionnaire, "Questionnaire: {1}, version {2}, sha256 {3}",
          "Cuestionario: {1}, versión {2}, sha256 {3}"},
    entry{text_id::summary_date, "Date: {1}", "Fecha: {1}"},
    entry{text_id::summary_status, "Status: {1}", "Estado: {1}"},
    entry{text_id::summary_answers, "Answers", "Respuestas"},
    entry{text_id::summary_not_answered, "(not answered)", "(sin respuesta)"},
    entry{text_id::summary_changes, "Changed answers", "Respuestas cambiadas"},
    entry{text_id::summary_change, "{1}: {2}, then {3} ({4})", "{1}: {2}, luego {3} ({4})"},
    entry{text_id::summary_cleared, "no answer", "sin respuesta"},
    entry{text_id::summary_results, "Results", "Resultados"},
    entry{text_id::summary_no_results, "No particular message.", "Ningún mensaje en particular."},
    entry{text_id::summary_referral, "Referral: {1}", "Derivación: {1}"},
    entry{text_id::summary_offer, "Show a summary of your answers for your clinician? Type yes or no.",
          "¿Mostrar un resumen de sus respuestas para su profesional sanitario? Escriba sí o no."},
    entry{text_id::summary_written, "A summary for your clinician is in {1}.",
          "Hay un resumen para su profesional sanitario en {1}."},
    entry{text_id::summary_not_written, "The summary could not be written to {1}: {2}",
          "No se pudo escribir el resumen en {1}: {2}"},
    entry{text_id::status_complete, "complete", "completo"},
    entry{text_id::status_incomplete, "not finished", "sin terminar"},
    entry{text_id::status_stopped, "stopped for safety", "detenido por seguridad"},
    entry{text_id::status_invalid, "answers that do not fit", "respuestas que no encajan"},
    entry{text_id::level_urgent, "urgent", "urgente"},
    entry{text_id::level_caution, "caution", "precaución"},
    entry{text_id::level_guidance, "guidance", "orientación"},
    entry{text_id::level_info, "information", "información"},
    entry{text_id::end_finished, "That was the last question. Thank you.", "Esa era la última pregunta. Gracias."},
    entry{text_id::end_stopped, "The questions stop here. Please read the message above.",
          "Las preguntas terminan aquí. Lea el mensaje de arriba, por favor."},
    entry{text_id::end_quit, "You stopped before the end.", "Ha terminado antes del final."},
    entry{text_id::end_interrupted, "Interrupted.", "Interrumpido."},
    entry{text_id::end_of_input, "No more answers to read; stopping here.",
          "No hay más respuestas que leer; terminamos aquí."},
    entry{text_id::saved_in, "Your answers are saved in {1}.", "Sus respuestas están guardadas en {1}."},
    entry{text_id::resume_hint, "To continue later, run:", "Para continuar más tarde, ejecute:"},
    entry{text_id::not_saved, "Your answers were not saved.", "Sus respuestas no se han guardado."},
    entry{text_id::save_failed, "Your answers could not be saved in {1}: {2}",
          "No se pudieron guardar sus respuestas en {1}: {2}"},
    entry{text_id::results, "Your results", "Sus resultados"},
    entry{text_id::results_so_far, "Your results so far", "Sus resultados hasta ahora"},
    entry{text_id::heading_caution, "Take care", "Precauciones"},
    entry{text_id::heading_guidance, "To discuss with your clinician", "Para hablar con su profesional sanitario"},
    entry{text_id::heading_info, "Good to know", "Información"},
    entry{text_id::nothing_fired, "Your answers did not lead to any particular message.",
          "Sus respuestas no han dado lugar a ningún mensaje en particular."},
    entry{text_id::undetermined_heading, "Not decided yet; answer these to learn more:",
          "Aún sin decidir; responda a estas preguntas para saber más:"},
    entry{text_id::and_more, "and {1} more", "y {1} más"},
    entry{text_id::sources, "Sources: {1}", "Fuentes: {1}"},
    entry{text_id::yes_label, "yes", "sí"},
    entry{text_id::no_label, "no", "no"},
    entry{text_id::none_label, "none", "ninguna"},
};

constexpr bool table_in_order() {
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (static_cast<std::size_t>(table[i].id) != i) return false;
    }
    return true;
}
static_assert(table_in_order(), "one row per text_id, in declaration order");
static_assert(static_cast<std::size_t>(text_id::none_label) + 1 == table.size(), "every text_id has a row");

}  // namespace

ui_language ui_language_for(std::string_view tag) {
    std::string_view const primary = tag.substr(0, tag.find_first_of("_-"));
    return primary == "es" ? ui_language::es : ui_language::en;
}

std::string text(ui_language language, text_id id, const std::vector<std::string>& args) {
    const entry& row = table[static_cast<std::size_t>(id)];
    std::string_view const pattern = language == ui_language::es ? row.es : row.en;
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '1' &&
            pattern[i + 1] <= '9') {
            auto const n = static_cast<std::size_t>(pattern[i + 1] - '1');
            if (n < args.size()) out += args[n];
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

std::vector<std::string> command_words(ui_language language, command c) {
    std::vector<std::string> words;
    if (language == ui_language::es) {
        switch (c) {
            case command::back: words = {"atrás"}; break;
            case command::skip: words = {"saltar"}; break;
            case command::help: words = {"ayuda", "?"}; break;
            case command::why: words = {"por qué", "porque"}; break;
            case command::quit: words = {"salir"}; break;
        }
    }
    switch (c) {
        case command::back: words.push_back("back"); break;
        case command::skip: words.push_back("skip"); break;
        case command::help: words.insert(words.end(), {"help", "?"}); break;
        case command::why: words.push_back("why"); break;
        case command::quit: words.push_back("quit"); break;
    }
    return words;
}

std::string level_name(ui_language language, outcome_level level) {
    switch (level) {
        case outcome_level::urgent: return text(language, text_id::level_urgent);
        case outcome_level::caution: return text(language, text_id::level_caution);
        case outcome_level::guidance: return text(language, text_id::level_guidance);
        case outcome_level::info: return text(language, text_id::level_info);
    }
    return {};
}

std::string quoted(ui_language language, std::string_view s) {
    if (language == ui_language::es) return "«" + std::string(s) + "»";
    return "“" + std::string(s) + "”";
}

}  // namespace stepcare::cli::intake
