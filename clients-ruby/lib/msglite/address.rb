# frozen_string_literal: true

require "socket"

module Msglite
  # Where the daemon listens, written as the daemon's own flags write it:
  # "HOST:PORT" or "tcp:HOST:PORT" (IPv6 as "[::1]:9813") for TCP, a path (anything with a
  # "/") or "unix:PATH" for a Unix socket.
  module Address
    DEFAULT = "/tmp/msglite.socket" # the daemon's default listener (-network unix)

    module_function

    # [:unix, path] or [:tcp, host, port]; ArgumentError for anything else, so a typo in a
    # flag is reported as such instead of as a failed connection.
    def parse(text)
      text = text.to_s.strip
      raise ArgumentError, "empty msglite address" if text.empty?
      return [:unix, text.delete_prefix("unix:")] if text.start_with?("unix:") || text.include?("/")

      hostport = text.delete_prefix("tcp:")
      m = /\A(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})\z/.match(hostport)
      raise ArgumentError, "msglite address #{text.inspect} is neither HOST:PORT nor a socket path" unless m

      [:tcp, m[1] || m[2], Integer(m[3], 10)]
    end

    # An open socket to the daemon; TCP gets TCP_NODELAY because every command is a small
    # write that the other side is waiting for.
    def connect(text)
      kind, host_or_path, port = parse(text)
      return UNIXSocket.new(host_or_path) if kind == :unix

      sock = TCPSocket.new(host_or_path, port)
      sock.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_NODELAY, 1)
      sock
    rescue SystemCallError, SocketError => e
      raise ConnectionError, "cannot connect to msglite at #{text}: #{e.message}"
    end
  end
end
