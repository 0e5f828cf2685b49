# frozen_string_literal: true

module Msglite
  # A forking pool: keeps +count+ child processes running the given block, restarts any that
  # die (waiting longer each time one dies young, so a daemon that is down is not hammered),
  # and stops them on a signal. Signals only queue a note and wake the loop through a pipe;
  # all the work happens in #run, never inside a trap handler.
  #
  # TERM or INT: stop gracefully (children get TERM and finish their request; after
  # +stop_timeout+ seconds the ones left get KILL; a second TERM/INT sends KILL at once).
  # HUP: the same graceful stop, then #run returns :reload so the caller can start afresh.
  class WorkerPool
    MASTER_SIGNALS = %w[TERM INT HUP CHLD].freeze
    # A child that lived less than this is "dying young": its restart is delayed.
    YOUNG_SECONDS = 2.0
    MAX_RESTART_DELAY_SECONDS = 5.0

    # The block runs in each child with the child's index (0...count); the child exits 0 when
    # it returns, 1 when it raises. The block sets its own TERM/INT traps for a graceful stop.
    def initialize(count:, stop_timeout:, log: $stderr, &work)
      @count = count
      @stop_timeout = stop_timeout
      @log = log
      @work = work
      @children = {} # pid => index
      @started = {}  # index => monotonic start time
      @delay = Array.new(count, 0.0)
      @restart_at = Array.new(count, 0.0)
    end

    # Runs until stopped. Returns :stop, or :reload after a HUP.
    def run
      @notes = []
      @outcome = nil
      @kill_at = nil
      @wake_r, @wake_w = IO.pipe
      previous = MASTER_SIGNALS.to_h { |sig| [sig, trap(sig) { note(sig) }] }
      loop_until_stopped
      @outcome
    ensure
      previous&.each { |sig, handler| trap(sig, handler || "DEFAULT") }
      [@wake_r, @wake_w].each { |io| io&.close }
    end

    # Asks #run to stop gracefully, as TERM does (Rack's Handler.shutdown convention).
    def stop
      note("TERM")
    end

    def pids
      @children.keys
    end

    private

    def note(sig)
      @notes << sig
      @wake_w&.write_nonblock(".", exception: false)
    rescue IOError
      nil # the pool has finished; nothing to wake
    end

    def loop_until_stopped
      loop do
        handle_notes
        reap
        if @outcome
          break if @children.empty?

          kill_all("KILL") if monotonic >= @kill_at
        else
          spawn_missing
        end
        sleep_until_woken
      end
    end

    def handle_notes
      while (sig = @notes.shift)
        next if sig == "CHLD" # only a reason to reap

        if @outcome
          kill_all("KILL") unless sig == "HUP" # asked twice: stop now
        else
          @outcome = sig == "HUP" ? :reload : :stop
          @kill_at = monotonic + @stop_timeout
          @log.puts("msglite: #{sig}: stopping #{@children.size} worker(s) gracefully#{' to reload' if sig == 'HUP'}")
          kill_all("TERM")
        end
      end
    end

    def reap
      @children.keys.each do |pid|
        _, status = Process.wait2(pid, Process::WNOHANG)
        next unless status

        index = @children.delete(pid)
        died(index, pid, status) unless @outcome
      rescue Errno::ECHILD
        @children.delete(pid)
      end
    end

    def died(index, pid, status)
      lived = monotonic - @started[index]
      @delay[index] = lived < YOUNG_SECONDS ? [[@delay[index] * 2, 0.1].max, MAX_RESTART_DELAY_SECONDS].min : 0.0
      @restart_at[index] = monotonic + @delay[index]
      @log.puts("msglite: worker #{index} (pid #{pid}) exited (#{status.inspect}); restarting in #{@delay[index].round(1)} s")
    end

    def spawn_missing
      running = @children.values
      @count.times do |index|
        next if running.include?(index) || monotonic < @restart_at[index]

        @started[index] = monotonic
        @children[spawn(index)] = index
      end
    end

    def spawn(index)
      fork do
        MASTER_SIGNALS.each { |sig| trap(sig, "DEFAULT") }
        trap("HUP", "IGNORE") # a terminal hang-up reaches the whole group; the master decides
        [@wake_r, @wake_w].each(&:close)
        child(index)
      end
    end

    # exit! skips at_exit handlers inherited from the master (rackup's removes its pid file).
    def child(index)
      status = 0
      begin
        @work.call(index)
      rescue Exception => e # rubocop:disable Lint/RescueException -- the child must report and exit!
        @log.puts("msglite: worker #{index} (pid #{Process.pid}) failed: #{e.class}: #{e.message}")
        status = 1
      end
      $stdout.flush
      @log.flush
      exit!(status)
    end

    def kill_all(sig)
      @children.each_key do |pid|
        Process.kill(sig, pid)
      rescue Errno::ESRCH
        nil # already gone; reap will collect it
      end
    end

    def sleep_until_woken
      wait = 1.0
      wait = [wait, @kill_at - monotonic].min if @outcome
      pending = @restart_at.each_with_index.reject { |_, i| @children.value?(i) }.map(&:first)
      wait = [wait, pending.min - monotonic].min if !@outcome && pending.any?
      return unless IO.select([@wake_r], nil, nil, wait.clamp(0.01, 1.0))

      @wake_r.read_nonblock(1024, exception: false)
    end

    def monotonic
      Process.clock_gettime(Process::CLOCK_MONOTONIC)
    end
  end
end
