#pragma once
// Sub-commands of `lambkin`. Each `add_*_command` registers its options and a callback; the
// callback stores the process exit code, which main returns.
#include <CLI/App.hpp>

namespace lambkin::cli {

/// `lambkin validate TEMPLATE [--parameter-overrides K=V …]`: summary and exit 0, or errors and exit 1.
void add_validate_command(CLI::App& app);
/// `lambkin run TEMPLATE [--mqtt-port …]`: serve until SIGINT/SIGTERM.
void add_run_command(CLI::App& app);
/// `lambkin invoke TEMPLATE FUNCTION [--event FILE|-]`: one local invocation.
void add_invoke_command(CLI::App& app);
/// `lambkin simulate [SCENARIO.yaml] [--arrivals … --json --svg FILE]`.
void add_simulate_command(CLI::App& app);
/// `lambkin sql 'SELECT …' --topic T --payload JSON`: one AWS IoT SQL evaluation.
void add_sql_command(CLI::App& app);

/// `lambkin certs DIR [--devices dev-1,dev-2]`: a local CA, server and device certificates for MQTT over TLS.
void add_certs_command(CLI::App& app);

/// `lambkin timeline [--function F --since T --svg FILE]`: a running lambkin's environments, drawn.
void add_timeline_command(CLI::App& app);

/// The exit code the chosen sub-command asked for.
int exit_code();
void set_exit_code(int code);

}  // namespace lambkin::cli
