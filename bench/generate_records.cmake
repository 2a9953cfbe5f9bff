# The seeded record generator: a benchmark tool that also makes the input of the batch
# tests, so both bench/ and tests/ include this file (the first defines the target).
if(NOT TARGET generate_records)
  add_executable(generate_records ${CMAKE_CURRENT_LIST_DIR}/generate_records.cpp)
  target_link_libraries(generate_records PRIVATE stepcare_engine_internals CLI11::CLI11)
  target_compile_definitions(generate_records PRIVATE
    STEPCARE_REFERENCE_QUESTIONNAIRE="${PROJECT_SOURCE_DIR}/questionnaires/ketamine-trd.sq")
endif()
