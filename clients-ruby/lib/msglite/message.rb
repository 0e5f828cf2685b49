# frozen_string_literal: true

module Msglite
  # A message as the daemon delivers it. +body+ is a binary (ASCII-8BIT) String; +timeout+ is
  # the whole seconds it was sent with (not the time left); +reply+ is nil when the sender
  # gave no reply address.
  Message = Struct.new(:body, :timeout, :to, :reply)
end
