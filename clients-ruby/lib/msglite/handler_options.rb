# frozen_string_literal: true

require "etc"
require_relative "address"
require_relative "worker"

module Msglite
  # The Rack handler's settings: rackup's `-O NAME=VALUE` first, then an environment variable,
  # then the default. Each entry: option name => [environment variable, default, meaning].
  class HandlerOptions
    TABLE = {
      connect: ["MSGLITE_CONNECT", Address::DEFAULT,
                "daemon address: HOST:PORT or a Unix socket path"],
      request_address: ["MSGLITE_REQUEST_ADDRESS", "msglite.httpRequests",
                        "address the proxy sends requests to (its -http-msg-address)"],
      workers: ["MSGLITE_WORKERS", nil, "worker processes (default: one per CPU)"],
      prefetch: ["MSGLITE_PREFETCH", Worker::DEFAULT_PREFETCH.to_s,
                 "readies each worker keeps outstanding: queued requests it takes at once (1: one at a time)"],
      stop_timeout: ["MSGLITE_STOP_TIMEOUT", "30",
                     "seconds a stopping worker may take to finish the requests it holds before it is killed"]
    }.freeze

    attr_reader :connect, :request_address, :workers, :prefetch, :stop_timeout

    # rackup's own help text (`rackup -s msglite -h`).
    def self.help
      TABLE.to_h do |name, (var, default, meaning)|
        ["#{name}=VALUE", "#{meaning} (env #{var}; default #{default || 'CPUs'})"]
      end
    end

    def initialize(options = {}, env = ENV)
      value = ->(name) { (options[name] || options[name.to_s] || env[TABLE[name][0]] || TABLE[name][1])&.to_s }
      @connect = value.(:connect)
      Address.parse(@connect) # a malformed address fails here, with the option's name in view
      @request_address = value.(:request_address)
      if @request_address.empty? || @request_address.match?(/\s/)
        raise ArgumentError, "request_address must be a msglite address without whitespace"
      end
      @workers = count(:workers, value.(:workers) || Etc.nprocessors.to_s, 1)
      @prefetch = count(:prefetch, value.(:prefetch), 1)
      @stop_timeout = count(:stop_timeout, value.(:stop_timeout), 0)
    end

    private

    def count(name, text, min)
      n = Integer(text, 10)
      raise ArgumentError if n < min

      n
    rescue ArgumentError, TypeError
      raise ArgumentError, "#{name} must be a whole number >= #{min}, not #{text.inspect}"
    end
  end
end
