import AutoCoder
