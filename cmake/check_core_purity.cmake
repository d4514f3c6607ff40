# Run as `cmake -P check_core_purity.cmake` by the lambkin_core_purity target (part of ALL).
# Makes "the cores are pure" a build-time fact: every core source is preprocessed (-M: system headers included) with the
# core's own flags and the build fails if any header it reaches belongs to Asio, Beast, SQLite,
# spdlog or yaml-cpp, or if core code reads a clock.
#
# Inputs (-D): COMPILER, FLAGS (;-list of -I/-D/-std flags), SOURCES (;-list), STAMP.
set(forbidden_headers "boost/asio" "boost/beast" "sqlite3.h" "spdlog/" "yaml-cpp/" "boost/process")
set(violations "")
foreach(src IN LISTS SOURCES)
  execute_process(COMMAND ${COMPILER} ${FLAGS} -M ${src}
                  OUTPUT_VARIABLE deps ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "core purity check: cannot preprocess ${src}:\n${err}")
  endif()
  foreach(bad IN LISTS forbidden_headers)
    string(FIND "${deps}" "${bad}" pos)
    if(NOT pos EQUAL -1)
      string(APPEND violations "  ${src} reaches a '${bad}' header\n")
    endif()
  endforeach()
  file(READ ${src} text)
  if(text MATCHES "(steady_clock|system_clock|high_resolution_clock)::now[ \t]*\\(")
    string(APPEND violations "  ${src} reads a clock (cores take `now` as an input)\n")
  endif()
endforeach()
if(violations)
  message(FATAL_ERROR "lambkin_core must stay pure (DESIGN.md, 'pure cores, thin shells'):\n${violations}")
endif()
file(WRITE ${STAMP} "ok\n")
