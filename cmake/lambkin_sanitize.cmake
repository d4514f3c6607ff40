# LAMBKIN_SANITIZE instruments every target of the build: address, undefined, thread, or a
# comma-separated combination such as `address,undefined` (thread combines with neither).
# UBSan findings abort (-fno-sanitize-recover), so a test under UBSan fails on its first report.
if(LAMBKIN_SANITIZE)
  if(NOT LAMBKIN_SANITIZE MATCHES "^(address|undefined|thread)(,(address|undefined))*$"
     OR (LAMBKIN_SANITIZE MATCHES "thread" AND LAMBKIN_SANITIZE MATCHES ","))
    message(FATAL_ERROR "LAMBKIN_SANITIZE must be address, undefined, thread or address,undefined, "
                        "not '${LAMBKIN_SANITIZE}'")
  endif()
  add_compile_options(-fsanitize=${LAMBKIN_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${LAMBKIN_SANITIZE})
  if(LAMBKIN_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()

# clang 14 cannot compile coroutines with UBSan's `function` check ("error in backend: Cannot
# represent a difference across sections", llvm/llvm-project#49689): clang builds go without that
# one check (g++ has no such check).
set(LAMBKIN_CLANG_UBSAN_FIX "")
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(LAMBKIN_CLANG_UBSAN_FIX -fno-sanitize=function)
  if(LAMBKIN_SANITIZE MATCHES "undefined")
    add_compile_options(${LAMBKIN_CLANG_UBSAN_FIX})
  endif()
endif()

# The fuzz build (-DLAMBKIN_BUILD_FUZZ=ON, clang): every library gets libFuzzer's coverage
# instrumentation, so targets that link lambkin_io or lambkin_config (the HTTP handlers, the
# template loader) are guided through those libraries too. Only the fuzz targets link libFuzzer.
# Without LAMBKIN_SANITIZE, the fuzz build takes ASan and UBSan everywhere.
if(LAMBKIN_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_compile_options(-fsanitize=fuzzer-no-link)
  if(NOT LAMBKIN_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                        ${LAMBKIN_CLANG_UBSAN_FIX})
    add_link_options(-fsanitize=address,undefined)
  endif()
endif()
