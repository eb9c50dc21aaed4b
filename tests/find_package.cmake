# Proves find_package(qualify): install the built project into a scratch prefix, configure
# and build examples/cpp against it, run it on a sample application, and compare the output
# with the checked-in examples/cpp/main.output.
# Called as: cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P find_package.cmake
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${WORK_DIR}/consumer -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)

# The consumer reads the pack where it was installed, as a service would.
execute_process(
  COMMAND ${WORK_DIR}/consumer/evaluate_application ${prefix}/share/qualify/rules/chongqing-dte-2025
          ${SOURCE_DIR}/examples/applications/0017-soft-latest-year-1999-iot-rongchang.json 2025-11-03
  RESULT_VARIABLE rc OUTPUT_VARIABLE actual ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "evaluate_application failed (${rc}): ${err}")
endif()
file(READ ${SOURCE_DIR}/examples/cpp/main.output expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${WORK_DIR}/main.output.actual "${actual}")
  message(FATAL_ERROR "output differs from examples/cpp/main.output; actual output:\n${actual}")
endif()
