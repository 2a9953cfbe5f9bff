// The web intake's own words, English and Spanish. The Spanish follows the terminal intake's
// (cli/intake/texts.cpp) wherever both say the same thing, and addresses the person as "usted".

#include <algorithm>
#include <array>
#include <span>
#include <string_view>

#include "web_pages.hpp"

namespace stepcare::server::web {

namespace {

struct row {
    std::string_view key;
    std::string_view text;
};

// {1}, {2}... are arguments. Both tables have the same keys (tests/server_pages_test.cpp).
constexpr std::array english{
    row{"language_name", "English"},
    row{"problem_empty", "Type an answer, or use Back."},
    row{"problem_choose", "Choose one of the answers."},
    row{"problem_not_a_number", "Type a number from {1} to {2}."},
    row{"problem_decimal_separator", "Write decimals with a point: {1}."},
    row{"problem_grouping", "Type the number without separators: {1}."},
    row{"problem_not_whole", "Type a whole number from {1} to {2}."},
    row{"problem_out_of_range", "Type a number from {1} to {2}."},
    row{"problem_too_long", "Shorten your answer to at most {1} characters."},
    row{"error_forged",
        "This form was not made by this service for your questionnaire. Start again from the start page."},
    row{"error_stale",
        "Your questionnaire has moved on since this page was shown (perhaps in another tab). Nothing was changed: "
        "continue from where it stands now."},
    row{"error_unknown_intake",
        "There is no questionnaire at this address. It may have been deleted after the time answers are kept, or the "
        "link may be incomplete."},
    row{"error_questionnaire_changed",
        "This questionnaire has changed since you started it, so your answers cannot be continued safely. Please start "
        "again."},
    row{"error_storage", "Your answer could not be saved. Nothing was lost; please try again in a moment."},
    row{"error_too_many", "Too many questionnaires were started from this connection. Wait a minute and try again."},
    row{"error_bad_form", "The form that was sent could not be read. Go back and try again."},
    row{"error_not_found", "There is no such questionnaire here."},
    row{"skip_link", "Skip to main content"},
    row{"change_language", "Change language"},
    row{"home_title", "Questionnaires"},
    row{"home_intro",
        "Answer a questionnaire one question at a time. You can go back to change an answer, or save and leave to "
        "continue later."},
    row{"home_not_diagnosis",
        "A questionnaire does not diagnose anything and does not replace a clinician: whatever your answers, your "
        "results end by referring you to a qualified clinician."},
    row{"home_emergency", "In an emergency, or if you are in danger right now, call your local emergency number."},
    row{"home_language", "Language"},
    row{"home_start", "Start"},
    row{"home_none", "No questionnaire is available at the moment."},
    row{"progress", "Question {1} of about {2}"},
    row{"yes", "Yes"},
    row{"no", "No"},
    row{"hint_multi", "Choose every answer that applies. You can also choose none and continue."},
    row{"hint_integer", "Type a whole number from {1} to {2}."},
    row{"hint_decimal", "Type a number from {1} to {2}."},
    row{"hint_text_max", "At most {1} characters."},
    row{"hint_optional", "You can skip this question."},
    row{"asked_again",
        "You are asked this again: your earlier answer ({1}) no longer fits with an answer you changed."},
    row{"title_error_prefix", "Error: "},
    row{"error_summary_title", "There is a problem"},
    row{"error_label", "Error:"},
    row{"continue", "Continue"},
    row{"back", "Back"},
    row{"skip", "Skip this question"},
    row{"leave", "Save and leave"},
    row{"urgent_heading", "Get help now"},
    row{"urgent_label", "Urgent:"},
    row{"sources", "Sources:"},
    row{"results", "Your results"},
    row{"stopped_heading", "Intake stopped"},
    row{"stopped_explain",
        "Your answers point to getting urgent help first, so the questions stop here. Please read the urgent message "
        "on this page."},
    row{"stopped_mistake", "If you gave an answer by mistake, you can go back and change it."},
    row{"finished", "That was the last question. Thank you."},
    row{"nothing_fired", "Your answers did not lead to any particular message."},
    row{"level_urgent", "Urgent"},
    row{"level_caution", "Caution: take care"},
    row{"level_guidance", "Guidance: to discuss with your clinician"},
    row{"level_info", "Information: good to know"},
    row{"referral_label", "Next step"},
    row{"print_link", "Print or save these results"},
    row{"back_to_change", "Change your last answer"},
    row{"print_how", "Use your browser's Print command to print this page or save it as a PDF."},
    row{"back_to_results", "Back to your results"},
    row{"saved_heading", "Your answers are saved"},
    row{"saved_resume", "To continue later, open this link:"},
    row{"saved_private", "Keep this link private: anyone who has it can see and change your answers."},
    row{"saved_retain_day", "Your answers are kept for 1 day after your last answer, then deleted."},
    row{"saved_retain_days", "Your answers are kept for {1} days after your last answer, then deleted."},
    row{"saved_retain_kept", "Your answers are kept until the service that runs this questionnaire deletes them."},
    row{"saved_close", "You can close this page now."},
    row{"error_400", "The request could not be read"},
    row{"error_403", "This form has expired"},
    row{"error_404", "Page not found"},
    row{"error_409", "This page is out of date"},
    row{"error_413", "Too much was sent"},
    row{"error_429", "Too many requests"},
    row{"error_500", "Something went wrong"},
    row{"error_next_home", "Go to the start page"},
    row{"error_next_intake", "Back to your questionnaire"},
};

constexpr std::array spanish{
    row{"language_name", "Español"},
    row{"problem_empty", "Escriba una respuesta, o use Atrás."},
    row{"problem_choose", "Elija una de las respuestas."},
    row{"problem_not_a_number", "Escriba un número de {1} a {2}."},
    row{"problem_decimal_separator", "Escriba los decimales con coma: {1}."},
    row{"problem_grouping", "Escriba el número sin separadores: {1}."},
    row{"problem_not_whole", "Escriba un número entero de {1} a {2}."},
    row{"problem_out_of_range", "Escriba un número de {1} a {2}."},
    row{"problem_too_long", "Acorte su respuesta a {1} caracteres como máximo."},
    row{"error_forged",
        "Este formulario no lo ha creado este servicio para su cuestionario. Vuelva a empezar desde la página de "
        "inicio."},
    row{"error_stale",
        "Su cuestionario ha avanzado desde que se mostró esta página (quizá en otra pestaña). No se ha cambiado nada: "
        "continúe desde donde está ahora."},
    row{"error_unknown_intake",
        "No hay ningún cuestionario en esta dirección. Puede que se haya borrado tras el tiempo que se guardan las "
        "respuestas, o que el enlace esté incompleto."},
    row{"error_questionnaire_changed",
        "Este cuestionario ha cambiado desde que lo empezó, así que sus respuestas no pueden continuarse con "
        "seguridad. Vuelva a empezar, por favor."},
    row{"error_storage",
        "No se ha podido guardar su respuesta. No se ha perdido nada; inténtelo de nuevo en un momento."},
    row{"error_too_many",
        "Se han empezado demasiados cuestionarios desde esta conexión. Espere un minuto y vuelva a intentarlo."},
    row{"error_bad_form", "No se ha podido leer el formulario enviado. Vuelva atrás e inténtelo de nuevo."},
    row{"error_not_found", "Aquí no hay ningún cuestionario con ese nombre."},
    row{"skip_link", "Saltar al contenido principal"},
    row{"change_language", "Cambiar de idioma"},
    row{"home_title", "Cuestionarios"},
    row{"home_intro",
        "Responda a un cuestionario, una pregunta cada vez. Puede volver atrás para cambiar una respuesta, o "
        "guardar y salir para continuar más tarde."},
    row{"home_not_diagnosis",
        "Un cuestionario no hace ningún diagnóstico ni sustituye a un profesional sanitario: sean cuales sean sus "
        "respuestas, sus resultados terminan remitiéndole a un profesional sanitario cualificado."},
    row{"home_emergency", "En una emergencia, o si está en peligro ahora mismo, llame al número de emergencias local."},
    row{"home_language", "Idioma"},
    row{"home_start", "Empezar"},
    row{"home_none", "En este momento no hay ningún cuestionario disponible."},
    row{"progress", "Pregunta {1} de unas {2}"},
    row{"yes", "Sí"},
    row{"no", "No"},
    row{"hint_multi", "Marque todas las respuestas que correspondan. También puede no marcar ninguna y continuar."},
    row{"hint_integer", "Escriba un número entero de {1} a {2}."},
    row{"hint_decimal", "Escriba un número de {1} a {2}."},
    row{"hint_text_max", "Como máximo {1} caracteres."},
    row{"hint_optional", "Puede saltar esta pregunta."},
    row{"asked_again",
        "Se le vuelve a hacer esta pregunta: su respuesta anterior ({1}) ya no encaja con una respuesta que "
        "cambió."},
    row{"title_error_prefix", "Error: "},
    row{"error_summary_title", "Hay un problema"},
    row{"error_label", "Error:"},
    row{"continue", "Continuar"},
    row{"back", "Atrás"},
    row{"skip", "Saltar esta pregunta"},
    row{"leave", "Guardar y salir"},
    row{"urgent_heading", "Busque ayuda ahora"},
    row{"urgent_label", "Urgente:"},
    row{"sources", "Fuentes:"},
    row{"results", "Sus resultados"},
    row{"stopped_heading", "Cuestionario detenido"},
    row{"stopped_explain",
        "Sus respuestas indican que lo primero es buscar ayuda urgente, así que las preguntas terminan aquí. Lea el "
        "mensaje urgente de esta página, por favor."},
    row{"stopped_mistake", "Si dio una respuesta por error, puede volver atrás y cambiarla."},
    row{"finished", "Esa era la última pregunta. Gracias."},
    row{"nothing_fired", "Sus respuestas no han dado lugar a ningún mensaje en particular."},
    row{"level_urgent", "Urgente"},
    row{"level_caution", "Precaución: tenga cuidado"},
    row{"level_guidance", "Orientación: para hablar con su profesional sanitario"},
    row{"level_info", "Información: conviene saberlo"},
    row{"referral_label", "Siguiente paso"},
    row{"print_link", "Imprimir o guardar estos resultados"},
    row{"back_to_change", "Cambiar su última respuesta"},
    row{"print_how", "Use la opción Imprimir de su navegador para imprimir esta página o guardarla como PDF."},
    row{"back_to_results", "Volver a sus resultados"},
    row{"saved_heading", "Sus respuestas están guardadas"},
    row{"saved_resume", "Para continuar más tarde, abra este enlace:"},
    row{"saved_private",
        "Mantenga este enlace en privado: cualquiera que lo tenga puede ver y cambiar sus respuestas."},
    row{"saved_retain_day",
        "Sus respuestas se guardan durante 1 día después de su última respuesta y luego se eliminan."},
    row{"saved_retain_days",
        "Sus respuestas se guardan durante {1} días después de su última respuesta y luego se eliminan."},
    row{"saved_retain_kept",
        "Sus respuestas se guardan hasta que el servicio que ofrece este cuestionario las elimine."},
    row{"saved_close", "Ya puede cerrar esta página."},
    row{"error_400", "No se ha podido leer la petición"},
    row{"error_403", "Este formulario ha caducado"},
    row{"error_404", "Página no encontrada"},
    row{"error_409", "Esta página no está actualizada"},
    row{"error_413", "Se ha enviado demasiado"},
    row{"error_429", "Demasiadas peticiones"},
    row{"error_500", "Algo ha fallado"},
    row{"error_next_home", "Ir a la página de inicio"},
    row{"error_next_intake", "Volver a su cuestionario"},
};

// Languages without a table of their own, each named in itself, for the language choices: their
// interface texts fall back to English, but their names must not, or a questionnaire in English
// and Portuguese would offer two languages both called "English". By primary subtag.
constexpr std::array autonyms{
    row{"ar", "العربية"},  row{"ca", "Català"},    row{"de", "Deutsch"},    row{"el", "Ελληνικά"},
    row{"eu", "Euskara"},  row{"fr", "Français"},  row{"gl", "Galego"},     row{"hi", "हिन्दी"},
    row{"it", "Italiano"}, row{"ja", "日本語"},    row{"ko", "한국어"},     row{"nl", "Nederlands"},
    row{"pl", "Polski"},   row{"pt", "Português"}, row{"ro", "Română"},     row{"ru", "Русский"},
    row{"sv", "Svenska"},  row{"tr", "Türkçe"},    row{"uk", "Українська"}, row{"vi", "Tiếng Việt"},
    row{"zh", "中文"},
};

// The table of a language's primary subtag ("es-MX" is "es"); empty for a language without one.
std::span<const row> table_of(std::string_view language) {
    std::string_view const primary = language.substr(0, language.find_first_of("_-"));
    if (primary == "en") return english;
    if (primary == "es") return spanish;
    return {};
}

const row* find(std::span<const row> table, std::string_view key) {
    auto const it = std::find_if(table.begin(), table.end(), [&](const row& r) { return r.key == key; });
    return it == table.end() ? nullptr : &*it;
}

}  // namespace

std::string text(const std::string& language, const std::string& key) {
    if (key == "language_name" && !language.empty() && table_of(language).empty()) {
        // Its name in itself, with the rest of its code when it has more than the language
        // ("Português (pt-BR)"); the code alone for a language not listed.
        std::string tag = language;
        std::replace(tag.begin(), tag.end(), '_', '-');
        std::string_view const primary = std::string_view(language).substr(0, language.find_first_of("_-"));
        const row* name = find(autonyms, primary);
        if (name == nullptr) return tag;
        return primary.size() == tag.size() ? std::string(name->text) : std::string(name->text) + " (" + tag + ")";
    }
    const row* found = find(table_of(language), key);
    if (!found) found = find(english, key);
    return found ? std::string(found->text) : key;
}

std::vector<std::string> text_keys(const std::string& language) {
    std::vector<std::string> keys;
    for (const row& r : table_of(language)) keys.emplace_back(r.key);
    return keys;
}

}  // namespace stepcare::server::web
