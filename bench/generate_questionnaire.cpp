// Writes the benchmark questionnaire that generate_questionnaire.hpp describes.

#include "generate_questionnaire.hpp"

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace stepcare::bench {

namespace {

/// splitmix64. Each standard library implements the std:: distributions its own way, so
/// with them one seed would give different files, and figures that cannot be compared,
/// on different systems.
class random_source {
public:
    explicit random_source(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        state_ += 0x9E3779B97F4A7C15u;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return z ^ (z >> 31);
    }

    /// A whole number in [low, high]. The modulo bias is far too small to matter here.
    int between(int low, int high) {
        return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
    }

    bool percent(int chance) { return between(1, 100) <= chance; }

    template <typename T, std::size_t size>
    const T& pick(const std::array<T, size>& items) {
        return items[next() % size];
    }

private:
    std::uint64_t state_;
};

/// One text in both declared languages. The strings are questionnaire source, copied to
/// the file as they are: `\"`, `\n` and `\u{E9}` are escapes of the language, and `" "`
/// splits a text into adjacent strings that the parser joins.
struct phrase {
    std::string_view en;
    std::string_view es;
};

struct option_text {
    std::string_view id;
    phrase label;
};

struct source_text {
    std::string_view id;
    std::string_view title;
};

// Document titles stay in the language they were published in, so they are one string.
constexpr std::array<source_text, 5> sources = {{
    {"src_guideline", "Clinical guideline on treatment-resistant depression"},
    {"src_esketamine", "Esketamine nasal spray: product information"},
    {"src_ketamine", "Overview of ketamine-assisted treatment"},
    {"src_safety", "Crisis lines and emergency care"},
    {"src_monitoring", "Monitoring after dissociative treatments"},
}};

constexpr std::array<phrase, 8> topics = {{
    {"Mood over the last two weeks", "Estado de ánimo en las últimas dos semanas"},
    {"Sleep and energy", "Sueño y energía"},
    {"Treatments you have tried", "Tratamientos que ha probado"},
    {"Physical health", R"(Salud f\u{ED}sica)"},
    {"Daily life and work", "Vida diaria y trabajo"},
    {"Support around you", "Apoyo a su alrededor"},
    {"Safety", "Seguridad"},
    {"Before your next visit", "Antes de su próxima visita"},
}};

constexpr std::array<phrase, 4> mood_asks = {{
    {"Feeling down, depressed or hopeless?", "¿Se ha sentido decaído, deprimido o sin esperanza?"},
    {"Little interest or pleasure in doing things?", "¿Poco interés o placer en hacer cosas?"},
    {"Feeling tired or having little energy?", R"(¿Se ha sentido cansado o con poca energ\u{ED}a?)"},
    {"Trouble concentrating on things such as reading the news?",
     "¿Dificultad para concentrarse, por ejemplo al leer las noticias?"},
}};

constexpr phrase mood_help = {R"(Think about the last two weeks. " "Count a day when the feeling lasted most of it.)",
                              R"(Piense en las últimas dos semanas. " "Cuente un día si duró casi todo el día.)"};

constexpr std::array<phrase, 3> sleep_asks = {{
    {"Do you usually sleep at least six hours a night?", "¿Suele dormir al menos seis horas por noche?"},
    {"Do you wake up rested on most mornings?", "¿Se despierta descansado la mayoría de las mañanas?"},
    {"Do you have the energy for your usual tasks?", "¿Tiene energía para sus tareas habituales?"},
}};

constexpr std::array<option_text, 6> symptoms = {{
    {"headache", {"Headache", "Dolor de cabeza"}},
    {"nausea", {"Nausea", "Náuseas"}},
    {"dizziness", {"Dizziness", "Mareos"}},
    {"dry_mouth", {"Dry mouth", "Boca seca"}},
    {"blurred_vision", {"Blurred vision", R"(Visi\u{F3}n borrosa)"}},
    {"restlessness", {"Restlessness", "Inquietud"}},
}};

constexpr std::array<phrase, 2> symptom_asks = {{
    {"Which of these have you noticed since your last visit?", "¿Cuáles de estos ha notado desde su última visita?"},
    {"Have you had any of these side effects?", "¿Ha tenido alguno de estos efectos secundarios?"},
}};

constexpr std::array<phrase, 2> tried_asks = {{
    {"How many antidepressants have you tried?", "¿Cuántos antidepresivos ha probado?"},
    {"How many different medications for depression have you taken?",
     "¿Cuántos medicamentos distintos para la depresión ha tomado?"},
}};

constexpr phrase adequate_ask = {"How many of them did you take for at least six weeks at the full dose?",
                                 "¿Cuántos de ellos tomó durante al menos seis semanas a la dosis completa?"};
constexpr phrase adequate_rejected = {"That is more than the number you tried.", "Es más que el número que probó."};
constexpr phrase medications_unit = {"medications", "medicamentos"};

constexpr std::array<phrase, 2> weight_asks = {{
    {"What is your weight?", "¿Cuál es su peso?"},
    {"About how much do you weigh today?", "¿Cuánto pesa hoy, aproximadamente?"},
}};
constexpr phrase weight_help = {R"(An estimate is fine. " "Use a dot for decimals, as in 72.5.)",
                                R"(Basta con una estimación. " "Use un punto para los decimales, como en 72.5.)"};
constexpr phrase kilograms_unit = {"kg", "kg"};

constexpr phrase change_ask = {"How much has your weight changed in the last month?",
                               "¿Cuánto ha cambiado su peso en el último mes?"};
constexpr phrase change_help = {"Write a loss with a minus sign, as in -1.5.",
                                "Escriba una pérdida con un signo menos, como en -1.5."};
constexpr phrase change_rejected = {"A change that large needs a clinician to check it first.",
                                    "Un cambio tan grande debe revisarlo antes un profesional."};

constexpr phrase notes_ask = {"Is there anything else your clinician should know?",
                              "¿Hay algo más que su profesional deba saber?"};
constexpr phrase notes_help = {R"(For example: \"I stopped one medication early.\"\nYou can leave this empty.)",
                               R"(Por ejemplo: \"Dejé un medicamento antes de tiempo.\"\nPuede dejarlo vacío.)"};

constexpr phrase reason_ask = {"Why did you stop the last one?", "¿Por qué dejó el último?"};
constexpr std::array<option_text, 4> reasons = {{
    {"side_effects", {"Side effects", "Efectos secundarios"}},
    {"no_effect", {"It did not help", "No le ayudó"}},
    {"cost", {"The cost", "El precio"}},
    {"other", {"Another reason", "Otro motivo"}},
}};

constexpr std::array<phrase, 2> history_asks = {{
    {"In the last two weeks, have you thought you would be better off dead, or of hurting "
     "yourself?",
     "En las últimas dos semanas, ¿ha pensado que estaría mejor muerto o en hacerse daño?"},
    {"Have you had thoughts of hurting yourself recently?", "¿Ha tenido pensamientos de hacerse daño recientemente?"},
}};
constexpr phrase history_help = {"Your answer decides whether crisis contacts are shown first.",
                                 "Su respuesta decide si los contactos de crisis se muestran primero."};

constexpr std::array<phrase, 2> crisis_titles = {{
    {"Please get help now", "Por favor, busque ayuda ahora"},
    {"Talk to someone today", "Hable hoy con alguien"},
}};
constexpr phrase crisis_say = {
    "If you might act on these thoughts, call your local emergency number or go to the nearest "
    "emergency department now.",
    "Si cree que podría actuar según estos pensamientos, llame al número de emergencias local o "
    "acuda ahora a urgencias."};

constexpr std::array<phrase, 2> review_titles = {{
    {"Mention these answers at your next visit", "Comente estas respuestas en su próxima visita"},
    {"Some answers are worth a closer look", "Algunas respuestas merecen una revisión"},
}};

constexpr std::array<phrase, 2> discuss_titles = {{
    {"A clinician can discuss more options", "Un profesional puede hablarle de más opciones"},
    {"Other treatments may be worth discussing", "Puede valer la pena hablar de otros tratamientos"},
}};

constexpr phrase weight_note_title = {"Your weight is part of the picture", "Su peso forma parte del cuadro"};

constexpr std::array<phrase, 5> follow_up_topics = {{
    {"sleep", "el sueño"},
    {"side effects", "los efectos secundarios"},
    {"support groups", "los grupos de apoyo"},
    {"talking therapies", "las terapias de conversación"},
    {"what happens at a treatment visit", "lo que ocurre en una visita de tratamiento"},
}};

/// How many questions `questionnaire_writer::part` writes.
constexpr std::size_t questions_per_part = 10;

constexpr std::array<std::string_view, 4> notes_answers = {
    R"(Woke at 4 most nights; \"exhausted\" by noon)",
    "Stopped sertraline after 3 weeks (nausea)",
    R"(Caf\u{E9} every morning, sometimes 3 cups)",
    R"(Diary kept in notes\\2024, page #12)",
};

// The helpers below build strings with += rather than `"literal" + std::string`: GCC 12
// at -O3 reports a false -Wrestrict on the latter (GCC bug 105329), and warnings are errors.

/// A number of tenths as a decimal literal, e.g. -15 as "-1.5".
std::string tenths(int value) {
    std::string literal = value < 0 ? "-" : "";
    int const magnitude = value < 0 ? -value : value;
    literal += std::to_string(magnitude / 10);
    literal += '.';
    literal += std::to_string(magnitude % 10);
    return literal;
}

/// The prefix of every name in one part, e.g. "b12_".
std::string part_prefix(int number) {
    std::string prefix = "b";
    prefix += std::to_string(number);
    prefix += '_';
    return prefix;
}

class questionnaire_writer {
public:
    questionnaire_writer(std::string& out, const generator_options& options)
        : out_(out), options_(options), random_(options.seed) {}

    void header() {
        if (options_.questions == 0) {
            put("# A generated questionnaire for the parse benchmark (bench/parse_bench.cpp), seed ",
                std::to_string(options_.seed), ",\n# at least ", std::to_string(options_.target_bytes),
                " bytes. Regenerate it rather than edit it.\n");
        } else {
            put("# A generated questionnaire for the benchmarks (bench/README.md), seed ",
                std::to_string(options_.seed), ",\n# ", std::to_string(options_.questions), " questions",
                options_.proof_invariants ? ", with the invariants for proofs" : "",
                ". Regenerate it rather than edit it.\n");
        }
        put("questionnaire bench_screen ");
        text({"Treatment options screen (generated)", "Cuestionario sobre opciones de tratamiento (generado)"}, "  ");
        put(" {\n  version \"1.0.0\"\n  languages en, es                      # the first one is "
            "the default\n");
        put("  description ");
        text({"Generated for benchmarking: every part repeats the shape of a real screen.",
              "Generado para medir el rendimiento: cada parte repite la forma de un cuestionario "
              "real."},
             "  ");
        put("\n");
        for (source_text const& source : sources) put("  source ", source.id, " \"", source.title, "\"\n");
        put("  source src_review ");
        text({"Systematic review of rapid-acting antidepressants",
              "Revisión sistemática de antidepresivos de acción rápida"},
             "  ");
        put("\n\n  options frequency {\n");
        option("not_at_all", 0, {"Not at all", "Nunca"}, "    ");
        option("several", 1, {"Several days", "Varios días"}, "    ");
        option("most", 2, {"More than half the days", "Más de la mitad de los días"}, "    ");
        option("daily", 3, {"Nearly every day", "Casi todos los días"}, "    ");
        put("  }\n");
    }

    void part(int number) {
        std::string const n = std::to_string(number);
        std::string const p = part_prefix(number);
        std::string const before = part_prefix(number - 1);
        phrase const& topic = random_.pick(topics);

        put("\n  # ---- part ", n, ": ", topic.en, " ----\n");
        put("  options ", p, "answer {\n");
        option("yes", 2, {"Yes", "Sí"}, "    ");
        option("no", 0, {"No", "No"}, "    ");
        option("not_sure", 1, {"Not sure", "No estoy seguro"}, "    ");
        put("  }\n\n");

        put("  section ", p, "part { en \"", topic.en, " (part ", n, ")\" es \"", topic.es, " (parte ", n, ")\" }");
        if (number > 0 && random_.percent(60)) {
            // Each condition is true while the earlier part is unanswered, so that every
            // test, which answers one part only, sees its part's questions.
            switch (random_.between(0, 2)) {
                case 0: put("\n      when not answered(", before, "history) or ", before, "history == no"); break;
                case 1: put("\n      when (", before, "tried ?? -1) < 15 or not answered(", before, "mood)"); break;
                default: put("\n      when not answered(", before, "mood) or not ", before, "crisis"); break;
            }
        }
        put(" {\n");

        put("    question ", p, "mood: choice frequency {\n");
        question_part("ask", random_.pick(mood_asks));
        if (random_.percent(60)) question_part("help", mood_help);
        put("    }\n");

        put("    question ", p, "sleep: yesno {\n");
        question_part("ask", random_.pick(sleep_asks));
        put("    }\n");

        std::array<option_text, 3> const chosen = pick_symptoms();
        put("    question ", p, "symptoms: multi {\n");
        for (option_text const& symptom : chosen) {
            std::optional<int> score;
            if (random_.percent(70)) score = random_.between(1, 3);
            option(symptom.id, score, symptom.label, "      ");
        }
        put("    } optional {\n");
        question_part("ask", random_.pick(symptom_asks));
        put("    }\n");

        put("    question ", p, "tried: integer 0..20 optional when score(", p, "mood) >= 1 {");
        put(random_.percent(50) ? "   # asked only when mood is low\n" : "\n");
        question_part("ask", random_.pick(tried_asks));
        question_part("unit", medications_unit);
        put("    }\n");

        put("    question ", p, "adequate: integer 0..20 optional when answered(", p, "tried) {\n");
        question_part("ask", adequate_ask);
        put("      require ", p, "adequate <= ", p, "tried else ");
        text(adequate_rejected, "      ");
        put("\n    }\n");

        put("    question ", p, "weight: decimal 30.5..250 {\n");
        question_part("ask", random_.pick(weight_asks));
        question_part("unit", kilograms_unit);
        if (random_.percent(50)) question_part("help", weight_help);
        put("    }\n");

        put("    question ", p, "change: decimal -10..10 optional {\n");
        question_part("ask", change_ask);
        question_part("help", change_help);
        question_part("unit", kilograms_unit);
        put("      require ", p, "change > -(", p, "weight / 4) else ");
        text(change_rejected, "      ");
        put("\n    }\n");

        put("    question ", p, "notes: text");
        if (random_.percent(70)) put(" max ", std::to_string(random_.between(2, 10) * 100));
        put(" optional {\n");
        question_part("ask", notes_ask);
        question_part("help", notes_help);
        put("    }\n");

        put("    question ", p, "reason: choice {\n");
        for (option_text const& reason : reasons) option(reason.id, std::nullopt, reason.label, "      ");
        put("    } optional when ", p, "tried ?? 0 >= 1 {\n");
        question_part("ask", reason_ask);
        put("    }\n");

        put("    question ", p, "history: choice ", p, "answer {\n");
        question_part("ask", random_.pick(history_asks));
        question_part("help", history_help);
        put("    }\n  }\n\n");

        int const per_symptom = random_.between(1, 3);
        int const concern_count = random_.between(1, 3);
        put("  let ", p, "total = sum(score(", p, "mood), count(", p, "symptoms) * ", std::to_string(per_symptom), ", ",
            p, "tried ?? 0)\n");
        put("  let ", p, "resistant = ", p, "tried >= 2 and ", p, "adequate ?? 0 >= 2 and not ", p, "sleep\n");
        put("  let ", p, "ratio = if answered(", p, "tried) and ", p, "tried > 0 then (", p, "adequate ?? 0) / ", p,
            "tried else -1\n");
        put("  let ", p, "concern = any(", p, "mood in {most, daily}, ", p, "symptoms has ", random_.pick(chosen).id,
            ", ", p, "history == yes)\n      or all(", p, "sleep == no, count(", p,
            "symptoms) >= ", std::to_string(concern_count), ")\n");
        put("  let ", p, "trend = min(max(", p, "change ?? 0, -5), 5) * -1 + ", p, "weight / 100\n");
        put("  let ", p, "consistent = ", p, "resistant implies answered(", p, "tried)\n");
        if (number == 0) {
            put("  let ", p, "running = ", p, "total ?? 0\n\n");
        } else {
            put("  let ", p, "running = (", before, "running ?? 0) + ", p, "total ?? 0\n\n");
        }

        put("  outcome ", p, "crisis urgent ");
        text(random_.pick(crisis_titles), "  ");
        put(" {\n    when ", p, "mood == daily and ", p, "history == yes\n");
        say(crisis_say);
        put("    cite src_safety\n    stop\n  }\n");

        put("  outcome ", p, "review caution ");
        text(random_.pick(review_titles), "  ");
        put(" {\n    when ", p, "concern and not ", p, "crisis\n");
        std::string const review_en = "You felt this way {" + p +
                                      "mood, select, daily {nearly every day} most {on more than half the "
                                      "days} other {on some days}}; a clinician can help you make sense of it.";
        std::string const review_es =
            "Se sintió así {" + p +
            "mood, select, daily {casi todos los días} most {más de la mitad de los días} other "
            "{algunos días}}; un profesional puede ayudarle a entenderlo.";
        say({review_en, review_es});
        put("    cite src_review, ", sources[static_cast<std::size_t>(number) % sources.size()].id, "\n  }\n");

        put("  outcome ", p, "discuss guidance ");
        text(random_.pick(discuss_titles), "  ");
        put(" {\n    when ", p, "resistant and ", p, "ratio >= 0.", std::to_string(random_.between(3, 7)), "\n");
        std::string const discuss_en =
            "You said you tried {" + p +
            "tried, plural, one {# medication} other {# medications}}. Ketamine and esketamine "
            "are considered only after standard treatments, and always under medical supervision.";
        std::string const discuss_es =
            "Dijo que probó {" + p +
            "tried, plural, one {# medicamento} other {# medicamentos}}. La ketamina y la "
            "esketamina se consideran solo después de los tratamientos habituales, y siempre con "
            "supervisión médica.";
        say({discuss_en, discuss_es});
        put("    cite ", number % 2 == 0 ? "src_ketamine" : "src_esketamine", "\n  }\n");

        put("  outcome ", p, "weight_note info ");
        text(weight_note_title, "  ");
        put(" {\n    when ", p, "trend > 0.", std::to_string(random_.between(2, 9)), " or ", p, "notes != \"\"\n");
        std::string const weight_en =
            "You reported {" + p + "weight} kg. Some doses depend on weight, so bring this figure.";
        std::string const weight_es =
            "Indicó {" + p + "weight} kg. Algunas dosis dependen del peso, así que lleve esta cifra.";
        say({weight_en, weight_es});
        if (random_.percent(50)) put("    cite src_monitoring\n");
        put("  }\n\n");

        severe_test(n, p, chosen, per_symptom);
        if (random_.percent(50)) mild_test(n, p);

        put("  invariant \"part ", n, ": a crisis needs daily low mood\": ", p, "crisis implies ", p,
            "mood == daily\n");
        put("  invariant \"part ", n, ": resistance needs a count\": ", p, "consistent\n");
        if (options_.proof_invariants) proof_invariants(number);
    }

    /// The invariants of one part that need a proof over every answer: each holds, so the
    /// solver must rule out every counterexample rather than find one.
    void proof_invariants(int number) {
        std::string const n = std::to_string(number);
        std::string const p = part_prefix(number);
        std::string const before = part_prefix(number - 1);
        put("  invariant \"part ", n, ": the urgent stop needs thoughts of self-harm\": ", p, "crisis implies ", p,
            "history == yes\n");
        put("  invariant \"part ", n, ": the review needs its concern and no crisis\": ", p, "review implies ", p,
            "concern and not ", p, "crisis\n");
        put("  invariant \"part ", n, ": the discussion needs resistance after two tries\": ", p, "discuss implies ", p,
            "resistant and ", p, "tried >= 2\n");
        // True only through the `require` of the count of full trials.
        put("  invariant \"part ", n, ": full trials never outnumber tries\": ", p, "resistant implies ", p,
            "ratio <= 1\n");
        if (number == 0) {
            put("  invariant \"part ", n, ": the running total is never negative\": ", p, "running >= 0\n");
            return;
        }
        put("  invariant \"part ", n, ": the running total never falls\": ", p, "running >= ", before,
            "running ?? 0\n");
        put("  invariant \"part ", n, ": nothing is raised after the stop of part ", std::to_string(number - 1),
            "\": ", before, "crisis implies not ", p, "review and not ", p, "discuss\n");
    }

    /// The questions past the last whole part, as `yesno` requests for information, and the
    /// outcome they fire.
    void follow_up(std::size_t count) {
        put("\n  # ---- follow-up ----\n  section follow_up { en \"Information to take home\" es \"Información para "
            "llevar\" } {\n");
        std::string any_request;
        for (std::size_t k = 1; k <= count; ++k) {
            std::string id = "follow_up_";
            id += std::to_string(k);
            phrase const& topic = follow_up_topics[(k - 1) % follow_up_topics.size()];
            put("    question ", id, ": yesno optional {\n      ask { en \"Would you like written information about ",
                topic.en, "?\" es \"¿Quiere información escrita sobre ", topic.es, "?\" }\n    }\n");
            if (k > 1) any_request += ", ";
            any_request += id;
        }
        put("  }\n  outcome information_pack info ");
        text({"Written information for you", "Información escrita para usted"}, "  ");
        put(" {\n    when any(", any_request, ")\n");
        say({"Your clinician will give you the leaflets you asked for.",
             "Su profesional le dará los folletos que ha pedido."});
        put("    cite src_guideline\n  }\n");
        if (options_.proof_invariants) {
            put("  invariant \"the information pack needs a request\": information_pack implies any(", any_request,
                ")\n");
        }
    }

    void ending(int last_part) {
        std::string const last = part_prefix(last_part);
        put("\n  # ---- closing ----\n  outcome overall_load info ");
        text({"Many answers point the same way", "Muchas respuestas apuntan en la misma dirección"}, "  ");
        put(" {\n    when ", last, "running >= 40\n");
        say({"Taken together, your answers are worth a longer conversation with a clinician.",
             "En conjunto, sus respuestas merecen una conversación más larga con un profesional."});
        put("    cite src_guideline\n  }\n\n  referral ");
        text({"Talk to a clinician", "Hable con un profesional"}, "  ");
        put(" {\n");
        say(
            {"Only a qualified clinician can decide what is right for you. This screen does not "
             "diagnose or prescribe.",
             "Solo un profesional cualificado puede decidir lo adecuado para usted. Este "
             "cuestionario no diagnostica ni receta."});
        put("    cite src_guideline, src_safety\n  }\n}\n");
    }

private:
    std::string& out_;
    const generator_options& options_;
    random_source random_;

    template <typename... Pieces>
    void put(Pieces const&... pieces) {
        (out_.append(pieces), ...);
    }

    /// A text in both languages, on one line or, as authors do with long ones, one line
    /// per language. `indent` is the indentation of the line the text starts on.
    void text(phrase const& value, std::string_view indent) {
        if (value.en.size() + value.es.size() < 90 || random_.percent(30)) {
            put("{ en \"", value.en, "\" es \"", value.es, "\" }");
        } else {
            put("{\n", indent, "  en \"", value.en, "\"\n", indent, "  es \"", value.es, "\"\n", indent, "}");
        }
    }

    void question_part(std::string_view keyword, phrase const& value) {
        put("      ", keyword, " ");
        text(value, "      ");
        put("\n");
    }

    void say(phrase const& value) {
        put("    say ");
        text(value, "    ");
        put("\n");
    }

    void option(std::string_view id, std::optional<int> score, phrase const& label, std::string_view indent) {
        put(indent, id);
        if (score) put(" = ", std::to_string(*score));
        put(" ");
        text(label, indent);
        put("\n");
    }

    /// Three different symptoms, in a random order.
    std::array<option_text, 3> pick_symptoms() {
        std::array<option_text, symptoms.size()> pool = symptoms;
        for (std::size_t i = 0; i < 3; ++i) {
            std::size_t const j = i + random_.next() % (pool.size() - i);
            std::swap(pool[i], pool[j]);
        }
        return {pool[0], pool[1], pool[2]};
    }

    /// Answers that fire the crisis outcome, which stops the intake after the part's last
    /// question. The expected total is worked out here from the chosen answers.
    void severe_test(std::string const& n, std::string const& p, std::array<option_text, 3> const& chosen,
                     int per_symptom) {
        int const symptom_count = random_.between(1, 3);
        int const tried = random_.between(2, 12);
        int const adequate = random_.between(2, tried);
        int const total = 3 + per_symptom * symptom_count + tried;

        put("  test \"part ", n, ": severe answers stop the intake\" {\n    given {\n");
        put("      ", p, "mood = daily  ", p, "sleep = no  ", p, "symptoms = {");
        for (int i = 0; i < symptom_count; ++i) put(i == 0 ? "" : ", ", chosen[static_cast<std::size_t>(i)].id);
        put("}\n      ", p, "tried = ", std::to_string(tried), "  ", p, "adequate = ", std::to_string(adequate), "  ",
            p, "weight = ", tenths(random_.between(450, 1200)), "  ", p, "change = ", tenths(-random_.between(5, 30)),
            "\n");
        put("      ", p, "notes = \"", random_.pick(notes_answers), "\"\n");
        put("      ", p, "reason = ", random_.pick(reasons).id, "  ", p, "history = yes\n    }\n");
        put("    expect ", p, "crisis\n    expect ", p, "resistant == true\n    expect ", p,
            "total == ", std::to_string(total), "\n  }\n");
    }

    /// Answers that fire nothing: the count of medications stays unanswered.
    void mild_test(std::string const& n, std::string const& p) {
        put("  test \"part ", n, ": mild answers raise nothing\" {\n");
        put("    given { ", p, "mood = several  ", p, "sleep = ", random_.percent(50) ? "yes" : "true", "  ", p,
            "symptoms = {}  ", p, "weight = ", tenths(random_.between(450, 1200)), "  ", p,
            "history = ", random_.percent(50) ? "no" : "not_sure", " }\n");
        put("    expect not ", p, "crisis\n    expect not ", p, "review\n    expect answered(", p,
            "tried) == false\n    expect ", p, "total == 1\n  }\n");
    }
};

}  // namespace

std::string generate_questionnaire(const generator_options& options) {
    std::string out;
    if (options.questions == 0) out.reserve(options.target_bytes + 16 * 1024);
    questionnaire_writer writer(out, options);
    writer.header();
    int part = 0;
    if (options.questions == 0) {
        do {
            writer.part(part++);
        } while (out.size() < options.target_bytes);
    } else {
        while (static_cast<std::size_t>(part + 1) * questions_per_part <= options.questions) writer.part(part++);
        if (options.questions % questions_per_part != 0) writer.follow_up(options.questions % questions_per_part);
    }
    writer.ending(part - 1);
    return out;
}

}  // namespace stepcare::bench
