# frozen_string_literal: true

require "stringio"

module Msglite
  # rack.input for one request. The body waits in the daemon on the envelope's bodyAddr; it is
  # fetched the first time the app reads, so a request whose app never reads its body (most
  # GETs) costs no extra round trip: the proxy drops it when the response ends (an older proxy,
  # without bodyLength in the envelope, has the worker take it after the reply, pipelined with
  # it). With bodyLength 0 there is nothing to fetch. Rewindable, as Rack 2 requires.
  class RackInput
    # +fetch+ returns the body bytes; it is called at most once.
    def initialize(&fetch)
      @fetch = fetch
      @io = nil
    end

    def loaded?
      !@io.nil?
    end

    def gets(*args)
      io.gets(*args)
    end

    def read(*args)
      io.read(*args)
    end

    def each(&block)
      io.each(&block)
    end

    def rewind
      io.rewind
    end

    def size
      io.size
    end

    # The SPEC forbids apps to close rack.input; the body is in memory, so there is nothing to do.
    def close; end

    private

    def io
      @io ||= StringIO.new(@fetch.call).tap(&:binmode)
    end
  end
end
