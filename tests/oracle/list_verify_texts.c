#include <openssl/x509.h>
#include <stdio.h>
int main(void){ for(int i=-1;i<=100;i++) printf("%d\t%s\n", i, X509_verify_cert_error_string(i)); }
