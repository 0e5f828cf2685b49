# A Dancer2 app for t/20-dancer.t and t/21-restart.t. MSGLITE_TEST_DIR is the test's temp
# dir: the streamed route waits there for a flag, and "tag" there names the app's version,
# read once at load time so that a reload shows.
use strict;
use warnings;
use Dancer2;
use Digest::MD5 qw(md5_hex);
use Time::HiRes ();

my $dir = $ENV{MSGLITE_TEST_DIR} or die "MSGLITE_TEST_DIR is not set\n";
my $tag = do { open my $fh, '<', "$dir/tag" or die "$dir/tag: $!"; local $/; <$fh> };
chomp $tag;

set show_errors => 0;
set logger      => 'console';
set log         => 'error';

get '/' => sub { 'home' };

get '/hello/:name' => sub { 'Hello, ' . route_parameters->get('name') };

get '/search' => sub {
    my $q = query_parameters;
    my %seen;
    return join ';', map { "$_=" . join(',', $q->get_all($_)) } grep { !$seen{$_}++ } sort $q->keys;
};

post '/form' => sub {
    my $b = body_parameters;
    return 'name=' . $b->get('name') . ' age=' . $b->get('age');
};

get '/cookies' => sub {
    cookie first  => 'one', path => '/';
    cookie second => 'two', path => '/';
    return 'two cookies';
};

get '/go' => sub { redirect '/hello/redirected' };

post '/upload' => sub {
    my $u = upload('file') or return 'no file';
    return join ' ', $u->filename, $u->size, md5_hex($u->content);
};

get '/stream' => sub {
    delayed {
        content "first\n";
        # The test creates the flag once it has read "first": proof that piece left alone.
        my $waited = 0;
        Time::HiRes::sleep(0.02) while !-e "$dir/stream-flag" && ($waited += 0.02) < 10;
        content -e "$dir/stream-flag" ? "second\n" : "flag never came\n";
        done;
    };
};

# psgix.harakiri: this worker exits once the response is out; the pool replaces it.
get '/harakiri' => sub {
    request->env->{'psgix.harakiri.commit'} = 1 if request->env->{'psgix.harakiri'};
    return "pid=$$";
};

get '/die' => sub { die "dancer dies on purpose\n" };

# For the restart tests: which worker and which app version answered request n.
get '/work/:n' => sub {
    Time::HiRes::sleep(query_parameters->get('sleep') || 0);
    return join ' ', 'n=' . route_parameters->get('n'), "tag=$tag", "pid=$$";
};

to_app;
