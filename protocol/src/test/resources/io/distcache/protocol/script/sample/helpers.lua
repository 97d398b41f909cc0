--#include changelog
local function answer()
  return 'helpers'
end
