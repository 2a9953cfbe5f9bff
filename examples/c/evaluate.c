/* Evaluates answer records with the Stepcare C API: compiles the questionnaire FILE.sq,
 * then reads one answers record per line of standard input and writes one result line per
 * record, like `stepcare eval`. Rejected records still give a result (status "invalid");
 * the reason also goes to standard error.
 *
 * Build it with pkg-config, against the shared library:
 *   cc -std=c99 evaluate.c $(pkg-config --cflags --libs stepcare) -o evaluate
 * or against the static library (the libraries it uses stay shared):
 *   cc -std=c99 evaluate.c $(pkg-config --cflags stepcare) "$(pkg-config --variable=libdir stepcare)/libstepcare.a" \
 *      $(pkg-config --libs --static stepcare | sed 's/ -lstepcare / /') -o evaluate
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stepcare/stepcare.h>

/* Reads one line without its line break into a buffer that grows as needed. Returns 0 at
 * the end of the input. */
static int read_line(char** buffer, size_t* capacity) {
    size_t length = 0;
    for (;;) {
        int const c = getchar();
        if (c == EOF && length == 0) return 0;
        if (length + 1 >= *capacity) {
            size_t const grown = *capacity * 2 + 256;
            char* bigger = realloc(*buffer, grown);
            if (bigger == NULL) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
            *buffer = bigger;
            *capacity = grown;
        }
        if (c == EOF || c == '\n') break;
        (*buffer)[length++] = (char)c;
    }
    (*buffer)[length] = '\0';
    return 1;
}

int main(int argc, char** argv) {
    stepcare_questionnaire* questionnaire = NULL;
    char* diagnostics = NULL;
    char* line = NULL;
    size_t capacity = 0;
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: evaluate FILE.sq < records.jsonl\n");
        return 2;
    }

    /* Diagnostics come back as a JSON array, also when compiling succeeds (warnings). */
    status = stepcare_compile_file(argv[1], &questionnaire, &diagnostics);
    if (status != STEPCARE_OK) {
        fprintf(stderr, "%s: %s\n", stepcare_status_name(status), stepcare_last_error());
        if (diagnostics != NULL) fprintf(stderr, "%s\n", diagnostics);
        stepcare_free(diagnostics);
        return 1;
    }
    stepcare_free(diagnostics);

    while (read_line(&line, &capacity)) {
        char* result = NULL;
        status = stepcare_evaluate(questionnaire, line, NULL, &result);
        if (status == STEPCARE_ERROR_INVALID_ANSWERS) {
            fprintf(stderr, "rejected: %s\n", stepcare_last_error());
        } else if (status != STEPCARE_OK) {
            fprintf(stderr, "%s: %s\n", stepcare_status_name(status), stepcare_last_error());
            break;
        }
        printf("%s\n", result);
        stepcare_free(result);
    }

    free(line);
    stepcare_questionnaire_free(questionnaire);
    return status == STEPCARE_OK || status == STEPCARE_ERROR_INVALID_ANSWERS ? 0 : 1;
}
