# sim/systemc/systemc.mk: the SystemC TLM-2.0 binding and its example platform (included by the
# Makefile): $(BUILD)/systemc/platform, linked against the build's libcohsim and libcohsim-sim.

SYSTEMC_CFLAGS := $(shell pkg-config --cflags systemc 2>/dev/null)
SYSTEMC_LIBS   := $(shell pkg-config --libs systemc 2>/dev/null)
SC_CXXFLAGS    := -std=c++17 -O1 $(DEBUG) -Wall -Wextra -Werror -Wno-unused-parameter -I. \
                  $(SYSTEMC_CFLAGS)
SYSTEMC_PROGS  := $(BUILD)/systemc/platform

$(BUILD)/systemc/%.o: sim/systemc/%.cpp sim/systemc/cohsim_tlm.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(SC_CXXFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/systemc/platform: $(BUILD)/systemc/platform.o $(BUILD)/systemc/cohsim_tlm.o $(SIMLIB) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(LDFLAGS) $(filter %.o,$^) $(SIMLIB) $(LIB) $(SYSTEMC_LIBS) $(LDLIBS) -o $@
