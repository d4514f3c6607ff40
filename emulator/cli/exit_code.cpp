#include "emulator/cli/commands.hpp"

namespace lambkin::cli {
namespace {
int code_ = 0;
}
int exit_code() { return code_; }
void set_exit_code(int code) { code_ = code; }
}  // namespace lambkin::cli
