# frozen_string_literal: true

module Msglite
  VERSION = "0.2.0"
end
