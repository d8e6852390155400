# Reliability tests of issue #15 (included from tests/CMakeLists.txt): the malformed-input corpus
# and the stress test of `gwsim serve`.
# How to run them, and the sanitizer and fuzz builds: docs/reliability.md.

# tests/malformed/: malformed manifests and scenarios, each with the exact first error line
# and exit code it must give (label `malformed`). Its API requests run in fakes_tests
# (tests/fakes/apiserver/malformed_requests_test.cc).
add_test(NAME malformed_inputs
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/malformed/malformed_test.sh $<TARGET_FILE:gwsim> ${CMAKE_SOURCE_DIR})
set_tests_properties(malformed_inputs PROPERTIES LABELS "malformed;hostile" TIMEOUT 300)

# tests/stress/: concurrent writers, watchers and gateway traffic against the gwsim binary's
# serve, a fixed number of operations (label `stress`).
add_executable(stress_tests ${CMAKE_CURRENT_SOURCE_DIR}/stress/serve_stress_test.cc)
target_link_libraries(stress_tests PRIVATE gwsim_runtime GTest::gtest GTest::gtest_main)
target_compile_options(stress_tests PRIVATE -O1)
target_compile_definitions(stress_tests PRIVATE GWSIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}" GWSIM_BINARY="$<TARGET_FILE:gwsim>")
add_dependencies(stress_tests gwsim)
add_test(NAME serve_stress COMMAND stress_tests)
set_tests_properties(serve_stress PROPERTIES LABELS stress TIMEOUT 120)
