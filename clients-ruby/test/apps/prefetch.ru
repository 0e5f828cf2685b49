# frozen_string_literal: true

# prefetch_test.rb's app under rackup.
require_relative "prefetch_app"
run PrefetchApp
