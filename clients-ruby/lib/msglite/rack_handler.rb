# frozen_string_literal: true

require_relative "client"
require_relative "handler_options"
require_relative "worker"
require_relative "worker_pool"

module Msglite
  # The Rack handler behind `rackup -s msglite`: a pool of worker processes, each a Worker on
  # its own daemon connections. Registered under Rack 2 as Rack::Handler::Msglite and, when the
  # rackup gem is loaded (Rack 3), as Rackup::Handler::Msglite (see lib/rack/handler/msglite.rb).
  #
  # HUP re-executes the command line this process was started with (after the workers have
  # stopped gracefully), so config.ru and the app's code are loaded afresh; requests arriving
  # meanwhile wait in the daemon.
  module RackHandler
    # Read when rackup loads the handler, before anything can rewrite the process title.
    COMMAND_LINE = begin
      File.binread("/proc/self/cmdline").split("\0")
    rescue SystemCallError
      nil # not Linux: HUP then restarts the workers without reloading the code
    end
    START_DIR = Dir.pwd

    class << self
      # Rack's handler entry point. Blocks until TERM/INT; rackup's -O options arrive here.
      def run(app, **options)
        settings = HandlerOptions.new(options)
        check_daemon(settings)
        @pool = WorkerPool.new(count: settings.workers, stop_timeout: settings.stop_timeout) do |index|
          serve(app, settings, index)
        end
        $stderr.puts("msglite: #{settings.workers} worker(s) taking requests from #{settings.request_address} " \
                     "at #{settings.connect} (pid #{Process.pid})")
        yield @pool if block_given?
        while @pool.run == :reload
          reexec(options[:pid])
          $stderr.puts("msglite: HUP: starting the workers again without reloading (cannot re-execute)")
        end
        $stderr.puts("msglite: stopped")
      end

      # Rack's handler convention: a graceful stop, as TERM.
      def shutdown
        @pool&.stop
      end

      # Listed by `rackup -s msglite -h`.
      def valid_options
        HandlerOptions.help
      end

      private

      # A wrong address or a daemon that is down is reported once, clearly, instead of as a
      # pool of workers restarting forever.
      def check_daemon(settings)
        Client.open(settings.connect) { nil }
      rescue ConnectionError => e
        abort("msglite: #{e.message}")
      end

      # Each worker has two connections: one for its readies, one for its replies (see Worker).
      def serve(app, settings, index)
        Process.setproctitle("msglite worker #{index} (#{settings.request_address} at #{settings.connect})")
        requests = Client.new(settings.connect)
        replies = Client.new(settings.connect)
        worker = Worker.new(app, requests, replies, settings.request_address, prefetch: settings.prefetch)
        %w[TERM INT].each { |sig| trap(sig) { worker.stop! } }
        worker.run
        replies.quit
        requests.quit
      end

      def reexec(pid_file)
        return unless COMMAND_LINE&.any?

        forget_pid_file(pid_file)
        $stderr.puts("msglite: HUP: re-executing #{COMMAND_LINE.join(' ')}")
        $stderr.flush
        exec([COMMAND_LINE[0], COMMAND_LINE[0]], *COMMAND_LINE.drop(1), chdir: START_DIR)
      rescue SystemCallError => e
        $stderr.puts("msglite: HUP: cannot re-execute: #{e.message}")
      end

      # rackup -P refuses to start while its pid file names a live process, which after exec
      # would be this very process.
      def forget_pid_file(pid_file)
        File.delete(pid_file) if pid_file && File.read(pid_file).to_i == Process.pid
      rescue SystemCallError
        nil
      end
    end
  end
end
