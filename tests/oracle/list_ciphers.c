#include <openssl/ssl.h>
#include <openssl/evp.h>
#include <stdio.h>
int main(void){
  unsigned char der[]={0x30,0x13,0x02,0x01,0x01,0x02,0x02,0x03,0x03,0x04,0x02,0,0,0x04,0x00,0x04,0x00,0xa4,0x02,0x04,0x00,0xb3,0x03,0x02,0x01,0x00};
  der[1]=sizeof(der)-2;
  for(int c=0;c<65536;c++){
    der[11]=c>>8; der[12]=c&255;
    const unsigned char*p=der;
    SSL_SESSION*s=d2i_SSL_SESSION(NULL,&p,sizeof der);
    if(!s) continue;
    const SSL_CIPHER*ci=SSL_SESSION_get0_cipher(s);
    const EVP_MD*md=SSL_CIPHER_get_handshake_digest(ci);
    printf("%04X %s %s %s\n",c,SSL_CIPHER_get_name(ci), SSL_CIPHER_standard_name(ci)?SSL_CIPHER_standard_name(ci):"-", md?EVP_MD_get0_name(md):"-");
    SSL_SESSION_free(s);
  }
}
