--#include cycle
return 1
