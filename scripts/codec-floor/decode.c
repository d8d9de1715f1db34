// Floor figure for the JPEG decode (scripts/codec-floor.sh): libjpeg-turbo's tjDecompress2 to BGR, thread CPU.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <turbojpeg.h>
static double cpu_ms(void){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){FILE*f=fopen(argv[1],"rb");fseek(f,0,SEEK_END);long n=ftell(f);rewind(f);
unsigned char*j=malloc(n);fread(j,1,n,f);tjhandle h=tjInitDecompress();int w,hh,ss,cs;tjDecompressHeader3(h,j,n,&w,&hh,&ss,&cs);
unsigned char*px=malloc((size_t)w*hh*3);int R=atoi(argv[2]);double t[64];
for(int r=-3;r<R;r++){double a=cpu_ms();if(tjDecompress2(h,j,n,px,w,0,hh,TJPF_BGR,0))return 1;if(r>=0)t[r]=cpu_ms()-a;}
qsort(t,R,sizeof(double),cmp);printf("%s %dx%d: tjDecompress2 to BGR, median thread CPU %.2f ms (%.0f MP/s)\n",argv[1],w,hh,t[R/2],w*(double)hh/t[R/2]/1e3);}
