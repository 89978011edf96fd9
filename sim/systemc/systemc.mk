# sim/systemc/systemc.mk: the SystemC TLM-2.0 binding and its example platform (included by the
# Makefile): $(BUILD)/systemc/platform, linked against the build's libcohsim and libcohsim-sim.

SYSTEMC_CFLAGS := $(shell pkg-config --cflags systemc 2>/dev/null)
SYSTEMC_LIBS   := $(shell pkg-config --libs systemc 2>/dev/null)
# -MMD -MP: an object is rebuilt when a cohsim header it includes changes (a struct that grew
# would otherwise be seen at two sizes by the C and C++ objects).
SC_CXXFLAGS    := -std=c++17 -O1 $(DEBUG) -Wall -Wextra -Werror -Wno-unused-parameter -I. -MMD -MP \
                  $(SYSTEMC_CFLAGS)
SYSTEMC_PROGS  := $(BUILD)/systemc/platform

$(BUILD)/systemc/%.o: sim/systemc/%.cpp sim/systemc/cohsim_tlm.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(SC_CXXFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/systemc/platform: $(BUILD)/systemc/platform.o $(BUILD)/systemc/cohsim_tlm.o $(SIMLIB) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(LDFLAGS) $(filter %.o,$^) $(SIMLIB) $(LIB) $(SYSTEMC_LIBS) $(LDLIBS) -o $@

# The second platform: the RTL's 2-core system (model/rtl/cohsim_coh.v, the geometry of the
# lockstep's sys2) Verilated as a SystemC module (verilator --sc) beside the C model behind the
# TLM binding, fed the same transactions.
RTL_SC_OBJ    := build/rtl-sc-obj
RTL_SC_V      := model/rtl/cohsim_coh.v model/rtl/cohsim_cache.v model/rtl/cohsim_sb.v
RTL_SC_PARAMS := -GCORES=2 -GSET_BITS=2 -GWAYS=2 -GLINE_BITS=4 -GSB_ENTRIES=4
SYSTEMC_PROGS += $(BUILD)/systemc/rtl_platform

$(RTL_SC_OBJ)/Vcohsim_coh__ALL.a: $(RTL_SC_V)
	@mkdir -p $(RTL_SC_OBJ)
	@$(if $(Q),echo "  VERILATE cohsim_coh --sc")
	$(Q)$(VERILATOR) --sc --build -j 1 -Wall $(RTL_SC_PARAMS) --top-module cohsim_coh \
	    -Mdir $(RTL_SC_OBJ) -CFLAGS -Os $(RTL_SC_V) >$(RTL_SC_OBJ)/build.log 2>&1 || \
	    { cat $(RTL_SC_OBJ)/build.log; exit 1; }
	$(Q)$(MAKE) --no-print-directory -C $(RTL_SC_OBJ) -f Vcohsim_coh.mk OPT_FAST=-Os \
	    verilated.o verilated_threads.o >>$(RTL_SC_OBJ)/build.log 2>&1 || \
	    { cat $(RTL_SC_OBJ)/build.log; exit 1; }
	$(Q)ar rcs $(RTL_SC_OBJ)/libverilated.a $(RTL_SC_OBJ)/verilated.o $(RTL_SC_OBJ)/verilated_threads.o

$(BUILD)/systemc/rtl_platform.o: sim/systemc/rtl_platform.cpp sim/systemc/cohsim_tlm.h \
                                 model/rtl/refmodel.h $(RTL_SC_OBJ)/Vcohsim_coh__ALL.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(SC_CXXFLAGS) -I$(RTL_SC_OBJ) -I$(VERILATOR_INC) -I$(VERILATOR_INC)/vltstd \
	    $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/systemc/rtl_platform: $(BUILD)/systemc/rtl_platform.o $(BUILD)/systemc/cohsim_tlm.o \
                               $(RTL_SC_OBJ)/Vcohsim_coh__ALL.a $(SIMLIB) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(LDFLAGS) $(filter %.o,$^) $(RTL_SC_OBJ)/Vcohsim_coh__ALL.a \
	    $(RTL_SC_OBJ)/libverilated.a $(SIMLIB) $(LIB) $(SYSTEMC_LIBS) $(LDLIBS) -o $@
