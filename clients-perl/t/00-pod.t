use strict;
use warnings;

# Every module loads, its POD is well-formed, and every public method is documented.

use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Test::Pod;
use Pod::Coverage;
use File::Find;

my @files;
find(sub { push @files, $File::Find::name if /\.pm\z/ }, "$FindBin::Bin/../lib");
for my $file (sort @files) {
    (my $module = $file) =~ s{.*/lib/}{};
    $module =~ s{/}{::}g;
    $module =~ s{\.pm\z}{};
    require_ok($module);
    pod_file_ok($file, "$module: POD is well-formed");
    my $pc = Pod::Coverage->new(package => $module, also_private => [qr/\A[A-Z_]+\z/]);
    is($pc->coverage, 1, "$module: every public method has POD")
        or diag "undocumented: " . join ', ', $pc->uncovered;
}
done_testing;
