// lambkin — the AWS serverless IoT stack, offline, in one process.
// The command line: `lambkin run | validate | simulate …`; each sub-command lives in cli/.
#include "emulator/cli/commands.hpp"
#include "lambkin/version.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"lambkin: AWS IoT Core, IoT rules, Lambda, API Gateway and DynamoDB on one machine, offline"};
  app.set_version_flag("--version", std::string("lambkin ") + lambkin::version_string);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::help);  // a bare `lambkin` shows the sub-commands

  lambkin::cli::add_validate_command(app);
  lambkin::cli::add_run_command(app);
  lambkin::cli::add_invoke_command(app);
  lambkin::cli::add_simulate_command(app);
  lambkin::cli::add_sql_command(app);
  lambkin::cli::add_timeline_command(app);
  lambkin::cli::add_certs_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return lambkin::cli::exit_code();
}
