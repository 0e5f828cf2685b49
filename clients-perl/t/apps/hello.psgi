# The benchmark's app: the smallest PSGI response.
sub { [200, ['Content-Type' => 'text/plain'], ['Hello, World!']] };
