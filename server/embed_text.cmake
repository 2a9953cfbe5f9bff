# Writes OUTPUT, a C++ source defining `stepcare::server::NAME` as the text of INPUT, so
# that the program serves the file without reading it at run time.
file(READ "${INPUT}" content)
string(FIND "${content}" ")embedded\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string's end marker")
endif()
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\n\nnamespace stepcare::server {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"embedded(${content})embedded\";\n}  // namespace stepcare::server\n")
