# frozen_string_literal: true

require_relative "msglite/version"
require_relative "msglite/errors"
require_relative "msglite/message"
require_relative "msglite/address"
require_relative "msglite/client"
