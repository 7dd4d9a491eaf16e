/* Probe for tests/oracle/CMakeLists.txt: does -m32 compile and link? */
#include <stdio.h>

int main(void)
{
    return sizeof(void *) == 4 ? 0 : puts("not 32-bit");
}
