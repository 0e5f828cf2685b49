package Msglite::Message;

use strict;
use warnings;

our $VERSION = '0.02';

=head1 NAME

Msglite::Message - one msglite message: body, timeout, to-address, reply-address

=head1 SYNOPSIS

    my $msg = Msglite::Message->new({
        body       => "hello",
        timeout    => 10,
        to_addr    => "someAddr",
        reply_addr => "someReplyAddr",    # optional
    });
    $msglite->send($msg);

=head1 CONSTRUCTOR

=over

=item new

    my $msg = Msglite::Message->new(\%fields);
    my $msg = Msglite::Message->new(%fields);

Takes C<body>, C<timeout>, C<to_addr> and optionally C<reply_addr>, as a hash
reference (the original client's form) or as a list of pairs. Nothing is
checked here; L<Msglite/send> checks the fields when the message goes out.

=back

=cut

sub new {
    my $class  = shift;
    my %fields = ref $_[0] eq 'HASH' ? %{ $_[0] } : @_;
    return bless {
        body       => $fields{body},
        timeout    => $fields{timeout},
        to_addr    => $fields{to_addr},
        reply_addr => defined $fields{reply_addr} ? $fields{reply_addr} : '',
    }, $class;
}

=head1 METHODS

=over

=item body

The body, a byte string (any byte values, possibly empty).

=cut

sub body { $_[0]{body} }

=item timeout

The timeout in whole seconds. A received message carries the timeout it was sent
with, not the time left.

=cut

sub timeout { $_[0]{timeout} }

=item to_addr

The address the message was sent to.

=cut

sub to_addr { $_[0]{to_addr} }

=item reply_addr

The reply address, or the empty string when the message has none.

=cut

sub reply_addr { $_[0]{reply_addr} }

=back

=cut

1;
