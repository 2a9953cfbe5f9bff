#pragma once
// The intake's own words: messages, headings and command words in every language the
// command line knows (English and Spanish), in one table. Texts of the questionnaire
// itself come from the session, in the questionnaire's language; these are the frame.

#include <string>
#include <string_view>
#include <vector>

#include "stepcare/result.hpp"

namespace stepcare::cli::intake {

/// The languages with their own entries in the table; every other language uses English.
enum class ui_language { en, es };

/// `es`, `es_MX` and `es-419` use Spanish; everything else English.
ui_language ui_language_for(std::string_view language_tag);

enum class text_id {
    intro,
    intro_length,
    intro_saved,
    intro_not_saved,
    intro_danger,
    resumed,
    prefilled,
    progress,
    hint_yesno,
    hint_choice,
    hint_choice_letters,
    hint_multi,
    hint_multi_letters,
    hint_integer,
    hint_decimal,
    hint_with_unit,
    hint_text,
    hint_text_max,
    hint_optional,
    previous_answer,
    set_aside_notice,
    asked_again,
    err_empty,
    err_line_too_long,
    err_empty_optional,
    err_yesno,
    err_choice_unknown,
    err_choice_unknown_letters,
    err_choice_number,
    err_choice_letter,
    err_choice_ambiguous,
    err_choice_ambiguous_letters,
    err_choice_one,
    err_not_number,
    err_decimal_separator,
    err_grouping,
    err_not_whole,
    err_out_of_range,
    err_too_long,
    or_word,
    cannot_skip,
    skipped,
    at_first,
    help_heading,
    help_back,
    help_skip,
    help_help,
    help_why,
    help_quit,
    why_intro,
    why_level,
    why_questions,
    why_wording,
    why_closing_message,
    why_none,
    urgent_banner,
    urgent_pause,
    urgent_sources,
    summary_heading,
    summary_more,
    summary_next,
    sources_heading,
    stop_mistake,
    confirm_ending,
    resume_ended,
    review_word,
    restart_word,
    summary_title,
    summary_questionnaire,
    summary_date,
    summary_status,
    summary_answers,
    summary_not_answered,
    summary_changes,
    summary_change,
    summary_cleared,
    summary_results,
    summary_no_results,
    summary_referral,
    summary_offer,
    summary_written,
    summary_not_written,
    status_complete,
    status_incomplete,
    status_stopped,
    status_invalid,
    level_urgent,
    level_caution,
    level_guidance,
    level_info,
    end_finished,
    end_stopped,
    end_quit,
    end_interrupted,
    end_of_input,
    saved_in,
    resume_hint,
    not_saved,
    save_failed,
    results,
    results_so_far,
    heading_caution,
    heading_guidance,
    heading_info,
    nothing_fired,
    undetermined_heading,
    and_more,
    sources,
    yes_label,
    no_label,
    none_label,
};

/// The text in `language`, with `{1}`, `{2}`... replaced by `args` in order.
std::string text(ui_language language, text_id id, const std::vector<std::string>& args = {});

/// What a person can type at any prompt.
enum class command { back, skip, help, why, quit };

/// The words for each command in `language` (the first is the one shown in help), then
/// always the English ones, so that `back` works whatever the language.
std::vector<std::string> command_words(ui_language language, command c);

/// "urgent", "caution"... in `language`.
std::string level_name(ui_language language, outcome_level level);

/// Quotation marks around `s`: “s” in English, «s» in Spanish.
std::string quoted(ui_language language, std::string_view s);

}  // namespace stepcare::cli::intake
