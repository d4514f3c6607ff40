// `lambkin validate TEMPLATE`: load, check against AWS's limits, print a summary (exit 0) or every
// error with file:line:column and field path (exit 1).
#include "emulator/cli/commands.hpp"
#include "emulator/cli/template_options.hpp"
#include "emulator/config/summary.hpp"

#include <iostream>
#include <memory>

namespace lambkin::cli {

void add_validate_command(CLI::App& app) {
  auto options = std::make_shared<template_options>();
  auto* cmd = app.add_subcommand("validate", "Check a SAM template and print what it defines");
  add_template_options(*cmd, *options);
  cmd->callback([options] {
    auto loaded = load_or_report(*options);
    if (!loaded) {
      set_exit_code(1);
      return;
    }
    std::cout << options->file << ": valid\n\n" << config::format_summary(*loaded);
    set_exit_code(0);
  });
}

}  // namespace lambkin::cli
