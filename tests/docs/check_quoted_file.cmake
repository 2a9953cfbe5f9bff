# Fails unless the document DOC contains the whole text of the file QUOTED, byte for byte,
# so that an example quoted in the documentation cannot drift from the example that is
# built and run.
#   cmake -DDOC=docs/embedding.md -DQUOTED=examples/embedding/minimal.cpp -P check_quoted_file.cmake
if(NOT DOC OR NOT QUOTED)
  message(FATAL_ERROR "usage: cmake -DDOC=<document> -DQUOTED=<file> -P check_quoted_file.cmake")
endif()
file(READ "${DOC}" document)
file(READ "${QUOTED}" quoted)
string(FIND "${document}" "${quoted}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "${DOC} does not quote ${QUOTED} word for word; "
                      "copy the whole file into the document again")
endif()
message(STATUS "${DOC} quotes ${QUOTED} in full")
