# Reliability tests of issue #15 (included from tests/CMakeLists.txt): the malformed-input corpus.
# How to run them, and the sanitizer and fuzz builds: docs/reliability.md.

# tests/malformed/: malformed manifests and scenarios, each with the exact first error line
# and exit code it must give (label `malformed`). Its API requests run in fakes_tests
# (tests/fakes/apiserver/malformed_requests_test.cc).
add_test(NAME malformed_inputs
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/malformed/malformed_test.sh $<TARGET_FILE:gwsim> ${CMAKE_SOURCE_DIR})
set_tests_properties(malformed_inputs PROPERTIES LABELS "malformed;hostile" TIMEOUT 300)
