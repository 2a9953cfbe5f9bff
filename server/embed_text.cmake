# Writes OUTPUT, a C++ source defining `stepcare::server::NAME` as the bytes of INPUT, so
# that the program serves the file without reading it at run time. The bytes are written
# as numbers: a string literal that long is past what compilers promise to take.
file(READ "${INPUT}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\n\nnamespace stepcare::server {\nnamespace {\nconst unsigned char bytes[] = {\n${bytes}};\n}  // namespace\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME}(reinterpret_cast<const char*>(bytes), sizeof bytes);\n}  // namespace stepcare::server\n")
